import { create } from 'zustand'
import type { SearchHit } from '../../shared/types'
import { api, unwrap } from '../api'
import { errorMessage } from './errors'

interface SearchState {
  text: string
  hits: SearchHit[] | null
  error: string | null
  search(text: string): Promise<void>
  clear(): void
}

export const useSearch = create<SearchState>((set, get) => ({
  text: '',
  hits: null,
  error: null,
  async search(text) {
    set({ text })
    if (text.trim() === '') return set({ hits: null, error: null })
    try {
      const hits = unwrap(await api().call['search.query']({ text, limit: 30 }))
      if (get().text === text) set({ hits, error: null })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  clear() {
    set({ text: '', hits: null, error: null })
  },
}))

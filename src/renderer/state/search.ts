import { create } from 'zustand'
import type { SearchHit } from '../../shared/types'
import { api, unwrap } from '../api'
import { errorMessage } from './errors'

/** Typing pauses this long before the library is searched: one query per word typed, not per key. */
export const SEARCH_DEBOUNCE_MS = 200

interface SearchState {
  text: string
  hits: SearchHit[] | null
  error: string | null
  search(text: string): Promise<void>
  clear(): void
}

let timer: ReturnType<typeof setTimeout> | undefined

export const useSearch = create<SearchState>((set, get) => ({
  text: '',
  hits: null,
  error: null,
  search(text) {
    set({ text })
    clearTimeout(timer)
    if (text.trim() === '') {
      set({ hits: null, error: null })
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => {
      timer = setTimeout(async () => {
        try {
          const hits = unwrap(await api().call['search.query']({ text, limit: 30 }))
          // An answer to text the user has since changed is dropped.
          if (get().text === text) set({ hits, error: null })
        } catch (error) {
          if (get().text === text) set({ error: errorMessage(error) })
        }
        resolve()
      }, SEARCH_DEBOUNCE_MS)
    })
  },
  clear() {
    clearTimeout(timer)
    set({ text: '', hits: null, error: null })
  },
}))

import { create } from 'zustand'
import type { SummarySettings, SummarySettingsView } from '../../shared/types'
import { api, ApiError, unwrap } from '../api'

interface SummariesState {
  view: SummarySettingsView | null
  error: string | null
  load(): Promise<void>
  save(
    patch: Partial<SummarySettings> & { apiKey?: string | null; allowUnprotected?: boolean },
  ): Promise<'saved' | 'needs-consent' | 'error'>
}

export const useSummarySettings = create<SummariesState>((set) => ({
  view: null,
  error: null,
  async load() {
    set({ view: unwrap(await api().call['summaries.getSettings']()) })
  },
  async save(patch) {
    try {
      set({ view: unwrap(await api().call['summaries.updateSettings'](patch)), error: null })
      return 'saved'
    } catch (error) {
      if (error instanceof ApiError && error.code === 'needs-consent') return 'needs-consent'
      set({ error: (error as Error).message })
      return 'error'
    }
  },
}))

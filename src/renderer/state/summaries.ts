import { create } from 'zustand'
import type { RequestInput } from '../../shared/contract'
import type { SummarySettingsView } from '../../shared/types'
import { api, unwrap } from '../api'
import { attempt, errorMessage, needsConsent } from './errors'

interface SummariesState {
  view: SummarySettingsView | null
  error: string | null
  load(): Promise<void>
  save(patch: RequestInput<'summaries.updateSettings'>): Promise<'saved' | 'needs-consent' | 'error'>
}

export const useSummarySettings = create<SummariesState>((set) => ({
  view: null,
  error: null,
  async load() {
    await attempt(set, async () => set({ view: unwrap(await api().call['summaries.getSettings']()) }))
  },
  async save(patch) {
    try {
      set({ view: unwrap(await api().call['summaries.updateSettings'](patch)), error: null })
      return 'saved'
    } catch (error) {
      if (needsConsent(error)) return 'needs-consent'
      set({ error: errorMessage(error) })
      return 'error'
    }
  },
}))

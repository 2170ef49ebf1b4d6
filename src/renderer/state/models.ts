import { create } from 'zustand'
import type { ModelsView, TranscriptionSettings } from '../../shared/types'
import { api, unwrap } from '../api'

interface ModelsState {
  view: ModelsView | null
  error: string | null
  load(): Promise<void>
  set(view: ModelsView): void
  download(modelId: string): Promise<void>
  importFile(path: string): Promise<void>
  remove(modelId: string): Promise<void>
  updateSettings(patch: Partial<TranscriptionSettings>): Promise<void>
}

export const useModels = create<ModelsState>((set) => {
  const attempt = async (work: () => Promise<ModelsView | void>) => {
    try {
      const view = await work()
      set(view ? { view, error: null } : { error: null })
    } catch (error) {
      set({ error: (error as Error).message })
    }
  }
  return {
    view: null,
    error: null,
    load: () => attempt(async () => unwrap(await api().call['models.list']())),
    set: (view) => set({ view }),
    download: (modelId) => attempt(async () => void unwrap(await api().call['models.download']({ modelId }))),
    importFile: (path) => attempt(async () => unwrap(await api().call['models.import']({ path }))),
    remove: (modelId) => attempt(async () => unwrap(await api().call['models.remove']({ modelId }))),
    updateSettings: (patch) =>
      attempt(async () => unwrap(await api().call['transcription.updateSettings'](patch))),
  }
})

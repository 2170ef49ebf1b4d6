import { create } from 'zustand'
import type { RequestInput } from '../../shared/contract'
import type { ModelsView } from '../../shared/types'
import { api, unwrap } from '../api'
import { attempt } from './errors'

interface ModelsState {
  view: ModelsView | null
  error: string | null
  load(): Promise<void>
  set(view: ModelsView): void
  download(modelId: string): Promise<void>
  importFile(path: string): Promise<void>
  remove(modelId: string): Promise<void>
  updateSettings(patch: RequestInput<'transcription.updateSettings'>): Promise<void>
}

export const useModels = create<ModelsState>((set) => {
  const show = (work: () => Promise<ModelsView | void>) =>
    attempt(set, async () => {
      const view = await work()
      if (view) set({ view })
    }).then(() => undefined)
  return {
    view: null,
    error: null,
    load: () => show(async () => unwrap(await api().call['models.list']())),
    set: (view) => set({ view }),
    download: (modelId) => show(async () => void unwrap(await api().call['models.download']({ modelId }))),
    importFile: (path) => show(async () => unwrap(await api().call['models.import']({ path }))),
    remove: (modelId) => show(async () => unwrap(await api().call['models.remove']({ modelId }))),
    updateSettings: (patch) =>
      show(async () => unwrap(await api().call['transcription.updateSettings'](patch))),
  }
})

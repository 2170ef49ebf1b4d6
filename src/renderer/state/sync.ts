import { create } from 'zustand'
import type { SyncStatus } from '../../shared/types'
import { api, unwrap } from '../api'

interface SyncState {
  status: SyncStatus | null
  load(): Promise<void>
  set(status: SyncStatus): void
  syncNow(): Promise<void>
}

export const useSync = create<SyncState>((set) => ({
  status: null,
  async load() {
    set({ status: unwrap(await api().call['sync.status']()) })
  },
  set(status) {
    set({ status })
  },
  async syncNow() {
    set({ status: unwrap(await api().call['sync.now']()) })
  },
}))

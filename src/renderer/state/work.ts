import { create } from 'zustand'
import type { WorkStatus } from '../../shared/types'
import { api, unwrap } from '../api'

interface WorkState {
  status: WorkStatus
  load(): Promise<void>
  set(status: WorkStatus): void
}

/** Whether main is taking work (it pauses while the disk is full). */
export const useWork = create<WorkState>((set) => ({
  status: { paused: null },
  async load() {
    set({ status: unwrap(await api().call['work.status']()) })
  },
  set(status) {
    set({ status })
  },
}))

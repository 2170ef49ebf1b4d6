import { create } from 'zustand'
import type { JobListItem, JobView } from '../../shared/types'
import { api, unwrap } from '../api'
import { attempt } from './errors'

interface JobsState {
  jobs: JobListItem[]
  error: string | null
  load(): Promise<void>
  upsert(job: JobView): void
  setProgress(jobId: number, progress: number): void
  retry(jobId: number): Promise<void>
  cancel(jobId: number): Promise<void>
}

export const useJobs = create<JobsState>((set, get) => ({
  jobs: [],
  error: null,
  async load() {
    await attempt(set, async () => set({ jobs: unwrap(await api().call['jobs.list']({})) }))
  },
  upsert(job) {
    // Events carry the job alone: it keeps the call the list named (a new job finds its call at the
    // next load of Activity).
    const known = get().jobs.find((existing) => existing.id === job.id)
    const others = get().jobs.filter((existing) => existing.id !== job.id)
    set({ jobs: [{ ...job, call: known?.call ?? null }, ...others] })
  },
  setProgress(jobId, progress) {
    set({ jobs: get().jobs.map((job) => (job.id === jobId ? { ...job, progress } : job)) })
  },
  async retry(jobId) {
    await attempt(set, async () => get().upsert(unwrap(await api().call['jobs.retry']({ jobId }))))
  },
  async cancel(jobId) {
    await attempt(set, async () => get().upsert(unwrap(await api().call['jobs.cancel']({ jobId }))))
  },
}))

/** What is being done to a recording right now (a running job of it), or null: for its row and its call. */
export function workOn(jobs: JobView[], recordingSid: string | null): JobView | null {
  if (!recordingSid) return null
  return jobs.find((job) => job.subject === recordingSid && job.state === 'running') ?? null
}

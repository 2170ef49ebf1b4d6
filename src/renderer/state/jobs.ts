import { create } from 'zustand'
import type { JobListItem, JobView } from '../../shared/types'
import { api, unwrap } from '../api'
import { attempt } from './errors'

/** The first progress seen of a running job: where estimates of the time left start from. */
interface ProgressStart {
  at: number
  progress: number
}

interface JobsState {
  jobs: JobListItem[]
  progressStarts: Record<number, ProgressStart>
  error: string | null
  load(): Promise<void>
  upsert(job: JobListItem | JobView): void
  setProgress(jobId: number, progress: number, now?: number): void
  retry(jobId: number): Promise<void>
  cancel(jobId: number): Promise<void>
}

export const useJobs = create<JobsState>((set, get) => ({
  jobs: [],
  progressStarts: {},
  error: null,
  async load() {
    await attempt(set, async () => set({ jobs: unwrap(await api().call['jobs.list']({})) }))
  },
  upsert(job) {
    // Events name the job's call; a retry's or a cancel's answer does not, and keeps the one known.
    const known = get().jobs.find((existing) => existing.id === job.id)
    const others = get().jobs.filter((existing) => existing.id !== job.id)
    set({ jobs: [{ ...job, call: 'call' in job ? job.call : (known?.call ?? null) }, ...others] })
  },
  setProgress(jobId, progress, now = Date.now()) {
    const starts = get().progressStarts
    set({
      jobs: get().jobs.map((job) => (job.id === jobId ? { ...job, progress } : job)),
      progressStarts: starts[jobId] ? starts : { ...starts, [jobId]: { at: now, progress } },
    })
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

/** Whether the recording's transcription waits for a Whisper model to be installed. */
export function waitsForModel(jobs: JobView[], recordingSid: string | null): boolean {
  return jobs.some(
    (job) =>
      job.subject === recordingSid &&
      job.kind === 'recording-transcription' &&
      job.state === 'queued' &&
      job.lastError?.code === 'transcription.waiting-for-model',
  )
}

/**
 * Seconds left for a running job at the pace it has kept since its first progress report, or null until
 * the pace means something (5 % of the work and 5 s seen).
 */
export function timeLeftSec(
  start: ProgressStart | undefined,
  progress: number | null,
  now = Date.now(),
): number | null {
  if (!start || progress === null) return null
  const done = progress - start.progress
  const elapsed = (now - start.at) / 1000
  if (done < 0.05 || elapsed < 5) return null
  return Math.round((elapsed * (1 - progress)) / done)
}

import { api } from '../api'
import { useCallDetail } from './call-detail'
import { useCalls } from './calls'
import { useJobs } from './jobs'

/** Wires main's events into the store slices once at start-up; returns the unsubscribe. */
export function connectEvents(): () => void {
  const subscriptions = [
    api().on('job.changed', (job) => useJobs.getState().upsert(job)),
    api().on('job.progress', ({ jobId, progress }) => useJobs.getState().setProgress(jobId, progress)),
    api().on('recording.changed', ({ recordingSid, availability }) =>
      useCallDetail.getState().applyAvailability(recordingSid, availability),
    ),
    api().on('calls.changed', () => void useCalls.getState().load()),
  ]
  return () => subscriptions.forEach((unsubscribe) => unsubscribe())
}

import { api } from '../api'
import { useCallDetail } from './call-detail'
import { useCalls } from './calls'
import { useJobs } from './jobs'
import { useSync } from './sync'
import { useWork } from './work'
import { useModels } from './models'
import { usePreferences } from './locale'
import { useOffice } from './office'

/** Wires main's events into the store slices once at start-up; returns the unsubscribe. */
export function connectEvents(onReconnected: () => void): () => void {
  const subscriptions = [
    api().on('job.changed', (job) => {
      useJobs.getState().upsert(job)
      if (
        (job.kind === 'recording-transcription' || job.kind === 'recording-summary') &&
        job.state === 'done'
      ) {
        useCalls
          .getState()
          .patchRecording(
            job.subject,
            job.kind === 'recording-transcription' ? { hasTranscript: true } : { hasSummary: true },
          )
        const detail = useCallDetail.getState()
        if (detail.detail?.recording?.recordingSid === job.subject) void detail.refresh()
      }
    }),
    api().on('job.progress', ({ jobId, progress }) => useJobs.getState().setProgress(jobId, progress)),
    api().on('recording.changed', ({ recordingSid, availability }) => {
      useCallDetail.getState().applyAvailability(recordingSid, availability)
      useCalls.getState().patchRecording(recordingSid, { recording: availability.state })
    }),
    api().on('calls.changed', ({ callSids }) => {
      void useCalls.getState().load()
      // A note, flag or assignment made at another desk shows on the open call too.
      const detail = useCallDetail.getState()
      if (detail.callSid && callSids.includes(detail.callSid)) void detail.refresh()
    }),
    api().on('office.status', (status) => {
      const before = useOffice.getState().status
      useOffice.getState().set(status)
      // Joining or leaving the office swaps the whole library: start the window over on the new one.
      if (before && before.kind !== status.kind) window.location.reload()
      else if (
        status.kind === 'desk' &&
        status.state === 'connected' &&
        before?.kind === 'desk' &&
        before.state !== 'connected'
      )
        onReconnected()
    }),
    api().on('sync.status', (status) => useSync.getState().set(status)),
    api().on('work.status', (status) => useWork.getState().set(status)),
    api().on('models.changed', (view) => useModels.getState().set(view)),
    api().on('preferences.changed', (preferences) => usePreferences.getState().set(preferences)),
  ]
  // A desktop has no webhook: when the network comes back, catch up at once.
  const online = () => void api().call['sync.now']()
  window.addEventListener('online', online)
  return () => {
    window.removeEventListener('online', online)
    subscriptions.forEach((unsubscribe) => unsubscribe())
  }
}

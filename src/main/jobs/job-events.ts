import type { EventBus } from '../events'
import type { JobQueue } from './queue'

/** Tells every window about each job's changes and progress (the Activity view, progress bars). */
export function announceJobs(queue: JobQueue, events: EventBus): () => void {
  return queue.subscribe((event) => {
    if (event.type === 'changed') events.emit('job.changed', event.job)
    if (event.type === 'progress')
      events.emit('job.progress', {
        jobId: event.job.id,
        kind: event.job.kind,
        subject: event.job.subject,
        progress: event.progress,
      })
  })
}

import type { EventBus } from '../events'
import type { Store } from '../store'
import { withCall } from './job-calls'
import type { JobQueue } from './queue'

/** Tells every window about each job's changes (with its call) and progress (Activity, progress bars). */
export function announceJobs(queue: JobQueue, events: EventBus, store: Store): () => void {
  return queue.subscribe((event) => {
    if (event.type === 'changed') events.emit('job.changed', withCall(store, event.job))
    if (event.type === 'progress')
      events.emit('job.progress', {
        jobId: event.job.id,
        kind: event.job.kind,
        subject: event.job.subject,
        progress: event.progress,
      })
  })
}

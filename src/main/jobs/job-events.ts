import type { EventBus } from '../events'
import type { Library } from '../store/library'
import { withCall } from './job-calls'
import type { JobQueue } from './queue'

/** Tells every window about each job's changes (with its call) and progress (Activity, progress bars). */
export function announceJobs(queue: JobQueue, events: EventBus, library: Library): () => void {
  // A change is told with its call, which takes a read: progress waits its turn, so a window never hears
  // of progress on a job it has not yet been told is running.
  let told: Promise<void> = Promise.resolve()
  const inOrder = (tell: () => Promise<void> | void) => {
    told = told.then(tell).catch((error: unknown) => console.error(`job events: ${(error as Error).message}`))
  }
  return queue.subscribe((event) => {
    if (event.type === 'changed')
      inOrder(async () => events.emit('job.changed', await withCall(library, event.job)))
    if (event.type === 'progress')
      inOrder(() =>
        events.emit('job.progress', {
          jobId: event.job.id,
          kind: event.job.kind,
          subject: event.job.subject,
          progress: event.progress,
        }),
      )
  })
}

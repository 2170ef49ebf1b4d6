import type { JobListItem, JobView } from '../../shared/types'
import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'
import { simpleDirection } from '../store/calls'

export const jobHandlers = ({ queue, runner, store }: Services) => {
  // Activity speaks of calls: each recording job names the call (the conversation) it belongs to.
  const withCall = (job: JobView): JobListItem => {
    const recording = job.kind === 'model-download' ? undefined : store.recordings.get(job.subject)
    const call = recording ? store.calls.conversationOf(recording.call_sid) : undefined
    return {
      ...job,
      call: call
        ? {
            callSid: call.sid,
            from: call.from_number,
            to: call.to_number,
            direction: simpleDirection(call.direction),
            startedAt: call.start_time,
          }
        : null,
    }
  }
  return {
    'jobs.list': ({ states }) => queue.list(states).map(withCall),
    'jobs.retry': ({ jobId }) => queue.retry(jobId),
    'jobs.cancel': ({ jobId }) => queue.cancel(jobId),
    'work.status': () => ({ paused: runner.paused }),
  } satisfies Partial<Handlers>
}

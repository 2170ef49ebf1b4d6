import type { JobListItem, JobView } from '../../shared/types'
import type { Store } from '../store'
import { simpleDirection } from '../store/calls'

/** A job with the call (the conversation) its recording belongs to, so Activity speaks of calls. */
export function withCall(store: Store, job: JobView): JobListItem {
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

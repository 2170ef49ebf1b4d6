import type { JobListItem, JobView } from '../../shared/types'
import type { Library } from '../store/library'
import { simpleDirection } from '../store/calls'

/** A job with the call (the conversation) its recording belongs to, so Activity speaks of calls. */
export async function withCall(library: Library, job: JobView): Promise<JobListItem> {
  const recording = job.kind === 'model-download' ? undefined : await library.recordings.get(job.subject)
  const call = recording ? await library.calls.conversationOf(recording.call_sid) : undefined
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

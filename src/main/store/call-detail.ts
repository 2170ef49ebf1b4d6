import type { CallDetail } from '../../shared/types'
import { simpleDirection } from './calls'
import type { AvailabilityOf, Library } from './library'

/**
 * Everything the detail pane shows about a conversation, opened by the SID of any of its legs: the parent
 * call, its newest recording, that recording's transcript and latest summary. The recording's availability
 * is not stored data alone (it folds in the download job), so the caller supplies it. Null if no such call.
 */
export async function readCallDetail(
  library: Library,
  callSid: string,
  availabilityOf: AvailabilityOf,
): Promise<CallDetail | null> {
  const call = await library.calls.conversationOf(callSid)
  if (!call) return null
  const recording = await library.recordings.latestOf(call.id)
  const transcript = recording ? await library.transcripts.ofRecording(recording.id) : null
  return {
    callSid: call.sid,
    from: call.from_number,
    to: call.to_number,
    direction: simpleDirection(call.direction),
    twilioDirection: call.direction,
    status: call.status,
    startedAt: call.start_time,
    durationSec: call.duration_sec,
    answeredBy: await library.calls.answeredBy(call.id),
    recording: recording
      ? {
          recordingSid: recording.sid,
          channels: recording.channels,
          durationSec: recording.duration_sec,
          availability: await availabilityOf(recording),
        }
      : null,
    transcript: transcript
      ? {
          language: transcript.language,
          model: transcript.model,
          createdAt: transcript.createdAt,
          notes: transcript.notes,
          segments: transcript.segments,
        }
      : null,
    summary: transcript ? await library.summaries.latestOf(transcript.id) : null,
    review: await library.reviews.of(call.id),
  }
}

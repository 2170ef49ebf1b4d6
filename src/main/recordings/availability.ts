import { decodeNotice, notice, type Notice } from '../../shared/notice'
import type { AvailabilityState, RecordingAvailability } from '../../shared/types'
import type { JobView } from '../../shared/types'
import type { RecordingRow } from '../store/recordings'

/**
 * The recording-state machine: what the player may do with a recording. Twilio's status decides whether
 * there is anything to fetch; the download job decides how far along fetching is. Nothing else in the app
 * derives these states.
 */

export interface AvailabilityRecord {
  availability: AvailabilityState
  reason: Notice | null
}

/** Retry hints for a renderer's fallback poll: slow while Twilio works, quicker once we download. */
export const RETRY_AFTER_SEC = { twilioProcessing: 30, queued: 10, downloading: 3 } as const

export const NO_RECORDING_REASON = notice('recording.none')

/** Where a recording stands given only what Twilio says about it. */
export function fromTwilioStatus(status: string, errorCode: number | null): AvailabilityRecord {
  switch (status) {
    case 'absent':
      return {
        availability: 'missing',
        reason: notice('recording.no-audio', errorCode ? { errorCode } : undefined),
      }
    case 'deleted':
      return {
        availability: 'missing',
        reason: notice('recording.deleted-before-download'),
      }
    case 'failed':
      return {
        availability: 'failed',
        reason: notice('recording.twilio-failed', errorCode ? { errorCode } : undefined),
      }
    default:
      // in-progress, paused, stopped, processing: Twilio is still working; completed: ours to download.
      return { availability: 'preparing', reason: null }
  }
}

/** The full picture for the player, combining the stored state with the download job's progress. */
export function describeAvailability(
  recording: Pick<RecordingRow, 'availability' | 'availability_reason' | 'twilio_status'> | undefined,
  downloadJob: Pick<JobView, 'state' | 'progress' | 'lastError'> | null,
): RecordingAvailability {
  const stored = recording?.availability_reason ? decodeNotice(recording.availability_reason) : null
  const downloadFailed = notice('recording.download-failed')
  if (!recording) return { state: 'missing', reason: NO_RECORDING_REASON }
  switch (recording.availability) {
    case 'ready':
      return { state: 'ready' }
    case 'missing':
      return { state: 'missing', reason: stored ?? NO_RECORDING_REASON }
    case 'failed':
      return {
        state: 'failed',
        reason: stored ?? downloadJob?.lastError ?? downloadFailed,
      }
    case 'preparing':
      if (recording.twilio_status !== 'completed') {
        return {
          state: 'preparing',
          stage: 'twilio-processing',
          progress: null,
          retryAfterSec: RETRY_AFTER_SEC.twilioProcessing,
        }
      }
      if (downloadJob?.state === 'failed') {
        return { state: 'failed', reason: downloadJob.lastError ?? downloadFailed }
      }
      if (downloadJob?.state === 'running') {
        return {
          state: 'preparing',
          stage: 'downloading',
          progress: downloadJob.progress,
          retryAfterSec: RETRY_AFTER_SEC.downloading,
        }
      }
      return { state: 'preparing', stage: 'queued', progress: null, retryAfterSec: RETRY_AFTER_SEC.queued }
  }
}

import type { RecordingDetail } from '../../../shared/types'
import { api } from '../../api'

const STAGES = {
  'twilio-processing': 'Twilio is still processing this recording',
  queued: 'Waiting to download',
  downloading: 'Downloading',
  verifying: 'Checking the download',
} as const

/** The player mirrors main's recording state: it never guesses and never retries on its own. */
export function Player({
  recording,
  onPrepare,
}: {
  recording: RecordingDetail | null
  onPrepare: () => void
}) {
  if (!recording) {
    return (
      <div className="player missing" role="status">
        No recording was made for this call.
      </div>
    )
  }
  const { availability } = recording
  switch (availability.state) {
    case 'ready':
      return (
        <div className="player ready">
          <audio
            controls
            preload="metadata"
            src={api().mediaUrl(recording.recordingSid)}
            aria-label="Call recording"
          />
        </div>
      )
    case 'preparing':
      return (
        <div className="player preparing" role="status">
          <span>
            Preparing: {STAGES[availability.stage]}
            {availability.progress !== null && ` (${Math.round(availability.progress * 100)}%)`}
          </span>
          {availability.progress !== null && <progress value={availability.progress} max={1} />}
          {availability.stage === 'queued' && (
            <button type="button" onClick={onPrepare}>
              Get it now
            </button>
          )}
        </div>
      )
    case 'missing':
      return (
        <div className="player missing" role="status">
          No recording: {availability.reason}
        </div>
      )
    case 'failed':
      return (
        <div className="player failed" role="alert">
          <span>Could not get the recording: {availability.reason}</span>
          <button type="button" onClick={onPrepare}>
            Retry
          </button>
        </div>
      )
  }
}

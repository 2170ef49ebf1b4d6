import type { RecordingDetail } from '../../../shared/types'
import { api } from '../../api'
import { useT } from '../../state/locale'
import { usePlayer } from '../../state/player'

/** The player mirrors main's recording state: it never guesses and never retries on its own. */
export function Player({
  recording,
  onPrepare,
}: {
  recording: RecordingDetail | null
  onPrepare: () => void
}) {
  const t = useT()
  const attach = usePlayer((state) => state.attach)
  const tick = usePlayer((state) => state.tick)
  if (!recording) {
    return (
      <div className="player missing" role="status">
        {t('player.noRecording')}
      </div>
    )
  }
  const { availability } = recording
  switch (availability.state) {
    case 'ready':
      return (
        <div className="player ready">
          <audio
            ref={attach}
            controls
            preload="metadata"
            src={api().mediaUrl(recording.recordingSid)}
            aria-label={t('player.recording')}
            onTimeUpdate={(e) => tick(e.currentTarget.currentTime * 1000)}
          />
        </div>
      )
    case 'preparing':
      return (
        <div className="player preparing" role="status">
          <span>
            {t('player.preparing', { stage: t(`player.stage.${availability.stage}`) })}
            {availability.progress !== null && ` (${Math.round(availability.progress * 100)}%)`}
          </span>
          {availability.progress !== null && <progress value={availability.progress} max={1} />}
          {availability.stage === 'queued' && (
            <button type="button" onClick={onPrepare}>
              {t('player.getNow')}
            </button>
          )}
        </div>
      )
    case 'missing':
      return (
        <div className="player missing" role="status">
          {t('player.missing', { reason: availability.reason })}
        </div>
      )
    case 'failed':
      return (
        <div className="player failed" role="alert">
          <span>{t('player.failed', { reason: availability.reason })}</span>
          <button type="button" onClick={onPrepare}>
            {t('player.retry')}
          </button>
        </div>
      )
  }
}

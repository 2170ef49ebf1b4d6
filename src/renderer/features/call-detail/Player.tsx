import { useCallback } from 'react'
import type { RecordingDetail } from '../../../shared/types'
import { api } from '../../api'
import { useNoticeText, useT } from '../../state/locale'
import { usePlayer } from '../../state/player'
import { formatTimeOfDay } from '../../format'

/** The player mirrors main's recording state: it never guesses and never retries on its own. */
export function Player({
  callSid,
  recording,
  onPrepare,
  retriedAt = null,
}: {
  callSid: string
  recording: RecordingDetail | null
  onPrepare: () => void
  /** When Retry was last pressed for this recording (null: not yet). */
  retriedAt?: number | null
}) {
  const t = useT()
  const say = useNoticeText()
  const attach = usePlayer((state) => state.attach)
  // One <audio> per recording (keyed below), attached with the call it plays, so a seek waiting for
  // another call (a search hit) never lands on this one.
  const attachAudio = useCallback(
    (element: HTMLAudioElement | null) => attach(element, callSid),
    [attach, callSid],
  )
  const tick = usePlayer((state) => state.tick)
  const jump = usePlayer((state) => state.jump)
  const setRate = usePlayer((state) => state.setRate)
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
            key={recording.recordingSid}
            ref={attachAudio}
            controls
            preload="metadata"
            src={api().mediaUrl(recording.recordingSid)}
            aria-label={t('player.recording')}
            onTimeUpdate={(e) => tick(e.currentTarget.currentTime * 1000)}
          />
          <div className="player-controls">
            <button type="button" onClick={() => jump(-10_000)} aria-label={t('player.back10')} dir="ltr">
              −10
            </button>
            <button type="button" onClick={() => jump(-5_000)} aria-label={t('player.back5')} dir="ltr">
              −5
            </button>
            <button type="button" onClick={() => jump(5_000)} aria-label={t('player.forward5')} dir="ltr">
              +5
            </button>
            <button type="button" onClick={() => jump(10_000)} aria-label={t('player.forward10')} dir="ltr">
              +10
            </button>
            <select
              aria-label={t('player.speed')}
              defaultValue="1"
              onChange={(e) => setRate(Number(e.target.value))}
            >
              {[1, 1.25, 1.5, 1.75, 2].map((rate) => (
                <option key={rate} value={rate}>
                  {rate}×
                </option>
              ))}
            </select>
          </div>
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
          {t('player.missing', { reason: say(availability.reason) })}
        </div>
      )
    case 'failed':
      return (
        <div className="player failed" role="alert">
          <span>{t('player.failed', { reason: say(availability.reason) })}</span>
          {retriedAt !== null && (
            <span className="retried">{t('player.retriedAt', { time: formatTimeOfDay(retriedAt) })}</span>
          )}
          <button type="button" onClick={onPrepare}>
            {t('player.retry')}
          </button>
        </div>
      )
  }
}

import { useT } from '../../state/locale'
import { useEffect } from 'react'
import { useCallDetail } from '../../state/call-detail'
import { useCalls } from '../../state/calls'
import { formatClock, formatDateTime, formatDuration } from '../../format'
import { Player } from './Player'

export function CallDetailPane() {
  const t = useT()
  const selectedSid = useCalls((state) => state.selectedSid)
  const { detail, loading, error, open, close, prepare } = useCallDetail()

  useEffect(() => {
    if (selectedSid) void open(selectedSid)
    return () => close()
  }, [selectedSid, open, close])

  if (!selectedSid) return <section className="detail empty">{t('detail.pick')}</section>
  if (loading && !detail) return <section className="detail">{t('detail.loading')}</section>
  if (error && !detail)
    return (
      <section className="detail" role="alert">
        {t('detail.openError', { error })}
      </section>
    )
  if (!detail) return null

  return (
    <section className="detail" aria-label={t('detail.region')}>
      <header>
        <h2 dir="ltr">{detail.direction === 'inbound' ? detail.from : detail.to}</h2>
        <p>
          {t(detail.direction === 'inbound' ? 'calls.inbound' : 'calls.outbound')} ·{' '}
          {formatDateTime(detail.startedAt)} · {formatDuration(detail.durationSec)}
        </p>
      </header>
      <Player recording={detail.recording} onPrepare={() => void prepare()} />
      {detail.summary && (
        <section className="summary" aria-label={t('detail.summary')}>
          <h3>{t('detail.summary')}</h3>
          <p dir="auto">{detail.summary.summary}</p>
        </section>
      )}
      <section className="transcript" aria-label={t('detail.transcript')}>
        <h3>{t('detail.transcript')}</h3>
        {!detail.transcript && <p className="empty">{t('detail.noTranscript')}</p>}
        <ol>
          {detail.transcript?.segments.map((segment) => (
            <li key={segment.index} className={segment.flags.length ? 'flagged' : undefined}>
              <span className="time">{formatClock(segment.startMs)}</span>
              <span className="speaker">{segment.speaker ?? ''}</span>
              <span className="text" dir="auto">
                {segment.text}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </section>
  )
}

import { useEffect } from 'react'
import { useCallDetail } from '../../state/call-detail'
import { useCalls } from '../../state/calls'
import { formatClock, formatDateTime, formatDuration } from '../../format'
import { Player } from './Player'

export function CallDetailPane() {
  const selectedSid = useCalls((state) => state.selectedSid)
  const { detail, loading, error, open, close, prepare } = useCallDetail()

  useEffect(() => {
    if (selectedSid) void open(selectedSid)
    return () => close()
  }, [selectedSid, open, close])

  if (!selectedSid) return <section className="detail empty">Pick a call to review it.</section>
  if (loading && !detail) return <section className="detail">Loading…</section>
  if (error && !detail)
    return (
      <section className="detail" role="alert">
        Could not open the call: {error}
      </section>
    )
  if (!detail) return null

  return (
    <section className="detail" aria-label="Call detail">
      <header>
        <h2 dir="ltr">{detail.direction === 'inbound' ? detail.from : detail.to}</h2>
        <p>
          {detail.direction === 'inbound' ? 'Inbound' : 'Outbound'} · {formatDateTime(detail.startedAt)} ·{' '}
          {formatDuration(detail.durationSec)}
        </p>
      </header>
      <Player recording={detail.recording} onPrepare={() => void prepare()} />
      {detail.summary && (
        <section className="summary" aria-label="Summary">
          <h3>Summary</h3>
          <p dir="auto">{detail.summary.summary}</p>
        </section>
      )}
      <section className="transcript" aria-label="Transcript">
        <h3>Transcript</h3>
        {!detail.transcript && <p className="empty">No transcript yet.</p>}
        <ol>
          {detail.transcript?.segments.map((segment) => (
            <li key={segment.index} className={segment.flags.length ? 'flagged' : undefined}>
              <span className="time">{formatClock(segment.startMs)}</span>
              {segment.speaker && <span className="speaker">{segment.speaker}</span>}
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

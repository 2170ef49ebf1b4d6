import { useShallow } from 'zustand/react/shallow'
import { answeredByText, PartyName, partyText } from '../../components/PartyName'
import { useEffect } from 'react'
import { useCallDetail } from '../../state/call-detail'
import { useCalls } from '../../state/calls'
import { useJobs } from '../../state/jobs'
import { useModels } from '../../state/models'
import { useT } from '../../state/locale'
import { formatDateTime, formatDuration } from '../../format'
import { Player } from './Player'
import { SummaryPanel } from './SummaryPanel'
import { TranscriptView } from './TranscriptView'
import { ExportMenu } from './ExportMenu'
import { CallerHistory } from './CallerHistory'
import { ReviewPanel } from './ReviewPanel'
import './call-detail.css'
import { WorkChip } from '../../components/WorkChip'

export function CallDetailPane() {
  const t = useT()
  const selectedSid = useCalls((state) => state.selectedSid)
  const staffName = useModels((state) => state.view?.settings.staffName)
  const jobs = useJobs((state) => state.jobs)
  const { detail, loading, error, open, close, prepare, resummarize, retriedAt } = useCallDetail(
    useShallow((state) => ({
      detail: state.detail,
      loading: state.loading,
      error: state.error,
      open: state.open,
      close: state.close,
      prepare: state.prepare,
      resummarize: state.resummarize,
      retriedAt: state.retriedAt,
    })),
  )

  useEffect(() => {
    if (selectedSid) void open(selectedSid)
    return () => close()
  }, [selectedSid, open, close])
  useEffect(() => {
    if (!useModels.getState().view) void useModels.getState().load()
  }, [])

  if (!selectedSid) return <section className="detail empty">{t('detail.pick')}</section>
  if (loading && !detail) return <section className="detail">{t('detail.loading')}</section>
  if (error && !detail)
    return (
      <section className="detail" role="alert">
        {t('detail.openError', { error })}
      </section>
    )
  if (!detail) return null
  // A summary job that failed for good for this call's recording: the call says so, not only Activity.
  const summaryFailure = jobs.find(
    (job) =>
      job.kind === 'recording-summary' &&
      job.subject === detail.recording?.recordingSid &&
      job.state === 'failed',
  )
  const otherParty = detail.direction === 'inbound' ? detail.from : detail.to
  const staffLabel = staffName || t('transcript.staff')
  const speakerLabel = (role: string | null) =>
    role === 'caller' ? partyText(otherParty, t) : role === 'staff' ? staffLabel : ''

  return (
    <section className="detail" aria-label={t('detail.region')}>
      <header>
        <h2>
          <PartyName value={otherParty} />
        </h2>
        {otherParty.trim() !== '' && <CallerHistory number={otherParty} currentSid={detail.callSid} />}
        <p>
          {t(detail.direction === 'inbound' ? 'calls.inbound' : 'calls.outbound')} ·{' '}
          {formatDateTime(detail.startedAt)} · {formatDuration(detail.durationSec)}
          {detail.answeredBy && <> · {answeredByText(detail.answeredBy, t)}</>}{' '}
          <WorkChip recordingSid={detail.recording?.recordingSid ?? null} />
        </p>
      </header>
      <Player
        callSid={detail.callSid}
        recording={detail.recording}
        onPrepare={() => void prepare()}
        retriedAt={retriedAt}
      />
      <ReviewPanel key={detail.callSid} detail={detail} />
      <SummaryPanel
        summary={detail.summary}
        transcript={detail.transcript}
        speakerLabel={speakerLabel}
        onResummarize={() => void resummarize()}
        failure={summaryFailure?.lastError ?? null}
        onRetry={() => summaryFailure && void useJobs.getState().retry(summaryFailure.id)}
      />
      <section className="transcript" aria-label={t('detail.transcript')}>
        <h3>
          {t('detail.transcript')}
          {detail.transcript && detail.transcript.segments.length > 0 && (
            <ExportMenu
              transcript={detail.transcript}
              label={(s) => speakerLabel(s.speaker)}
              fileName={`call-${otherParty.replace(/\D/g, '') || 'unknown'}-${new Date(detail.startedAt).toISOString().slice(0, 10)}`}
            />
          )}
        </h3>
        <TranscriptView
          transcript={detail.transcript}
          recording={detail.recording?.availability.state ?? null}
          speakerLabel={speakerLabel}
        />
      </section>
    </section>
  )
}

import type { CallSummary, Citation, Transcript } from '../../../shared/types'
import type { Notice } from '../../../shared/notice'
import { useNoticeText, useT } from '../../state/locale'
import { SeekButton } from '../../components/SeekButton'

function CitationChips({ citations, transcript }: { citations: Citation[]; transcript: Transcript | null }) {
  return (
    <>
      {citations.map(({ segmentIndex }) => {
        const segment = transcript?.segments.find((s) => s.index === segmentIndex)
        return segment ? (
          <SeekButton
            key={segmentIndex}
            ms={segment.startMs}
            className="citation"
            label="summary.citation"
            segmentIndex={segmentIndex}
          />
        ) : null
      })}
    </>
  )
}

/** The call's summary, intent, action items and key points; every point links to its moment. */
export function SummaryPanel({
  summary,
  transcript,
  speakerLabel,
  onResummarize,
  failure,
  onRetry,
}: {
  summary: CallSummary | null
  transcript: Transcript | null
  /** The caller's or the staff member's name for a role ("caller", "staff"); another owner stays as said. */
  speakerLabel: (role: string | null) => string
  onResummarize: () => void
  /** The last summary attempt for this call failed for good: why (an older summary may still show). */
  failure: Notice | null
  onRetry: () => void
}) {
  const t = useT()
  const say = useNoticeText()
  const problem = failure && (
    <p role="alert" className="error">
      {t(summary ? 'summary.failedOld' : 'summary.failed', { reason: say(failure) })}{' '}
      <button type="button" onClick={onRetry}>
        {t('activity.retry')}
      </button>
    </p>
  )
  if (!summary) {
    return transcript ? (
      <section className="summary" aria-label={t('detail.summary')}>
        <h3>{t('detail.summary')}</h3>
        {problem ?? <p className="empty">{t('summary.pending')}</p>}
      </section>
    ) : null
  }
  return (
    <section className="summary" aria-label={t('detail.summary')}>
      <h3>
        {t('detail.summary')}
        <span className="provider">
          {summary.provider === 'extractive'
            ? t('summary.extractive')
            : `${summary.provider} · ${summary.model}`}
        </span>
        <button type="button" onClick={onResummarize}>
          {t('summary.again')}
        </button>
      </h3>
      {problem}
      <p dir="auto">{summary.summary}</p>
      {summary.intent && (
        <p dir="auto">
          <strong>{t('summary.intent')}:</strong> {summary.intent}
        </p>
      )}
      {summary.actionItems.length > 0 && (
        <>
          <h4>{t('summary.actions')}</h4>
          <ul className="points">
            {summary.actionItems.map((item, i) => (
              <li key={i} dir="auto">
                {item.text}
                {item.owner && <span className="meta"> · {speakerLabel(item.owner) || item.owner}</span>}
                {item.due && <span className="meta"> · {item.due}</span>}{' '}
                <CitationChips citations={item.citations} transcript={transcript} />
              </li>
            ))}
          </ul>
        </>
      )}
      {summary.keyPoints.length > 0 && (
        <>
          <h4>{t('summary.keyPoints')}</h4>
          <ul className="points">
            {summary.keyPoints.map((point, i) => (
              <li key={i} dir="auto">
                {point.text} <CitationChips citations={point.citations} transcript={transcript} />
              </li>
            ))}
          </ul>
        </>
      )}
      {summary.topics.length > 0 && (
        <p className="topics">
          {summary.topics.map((topic) => (
            <span key={topic} className="chip chip-neutral" dir="auto">
              {topic}
            </span>
          ))}
        </p>
      )}
    </section>
  )
}

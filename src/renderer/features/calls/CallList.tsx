import { useEffect } from 'react'
import { useCalls, type CallFilters } from '../../state/calls'
import { useT } from '../../state/locale'
import { RecordingChip, Chip } from '../../components/StatusChip'
import { formatDateTime, formatDuration } from '../../format'

export function CallList() {
  const t = useT()
  const { items, loading, error, nextCursor, filters, selectedSid, load, loadMore, select } = useCalls()

  useEffect(() => {
    void useCalls.getState().load()
  }, [])

  const setFilter = (patch: Partial<CallFilters>) => void load({ ...filters, ...patch })

  return (
    <section className="call-list" aria-label={t('calls.region')}>
      <div className="filters" role="group" aria-label={t('calls.filters')}>
        <label>
          {t('calls.direction')}
          <select
            value={filters.direction ?? ''}
            onChange={(e) =>
              setFilter({ direction: (e.target.value || undefined) as CallFilters['direction'] })
            }
          >
            <option value="">{t('calls.all')}</option>
            <option value="inbound">{t('calls.inbound')}</option>
            <option value="outbound">{t('calls.outbound')}</option>
          </select>
        </label>
        <label>
          {t('calls.recording')}
          <select
            value={filters.recording ?? ''}
            onChange={(e) =>
              setFilter({ recording: (e.target.value || undefined) as CallFilters['recording'] })
            }
          >
            <option value="">{t('calls.all')}</option>
            <option value="ready">{t('chip.ready')}</option>
            <option value="preparing">{t('chip.preparing')}</option>
            <option value="missing">{t('chip.missing')}</option>
            <option value="failed">{t('chip.failed')}</option>
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={filters.followUp === true}
            onChange={(e) => setFilter({ followUp: e.target.checked ? true : undefined })}
          />
          {t('calls.followUp')}
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          {t('calls.loadError', { error })}
        </p>
      )}
      {!loading && items.length === 0 && !error && <p className="empty">{t('calls.empty')}</p>}
      <ul className="rows">
        {items.map((call) => (
          <li key={call.callSid}>
            <button
              type="button"
              className={`row ${call.callSid === selectedSid ? 'selected' : ''}`}
              aria-current={call.callSid === selectedSid}
              onClick={() => select(call.callSid)}
            >
              <span className="when">{formatDateTime(call.startedAt)}</span>
              <span
                className="direction"
                aria-label={t(call.direction === 'inbound' ? 'calls.inbound' : 'calls.outbound')}
              >
                {call.direction === 'inbound' ? '↙' : '↗'}
              </span>
              <span className="party" dir="ltr">
                {call.direction === 'inbound' ? call.from : call.to}
              </span>
              <span className="duration">{formatDuration(call.durationSec)}</span>
              <span className="chips">
                <RecordingChip state={call.recording} />
                {call.hasTranscript && <Chip label={t('chip.transcript')} />}
                {call.hasSummary && <Chip label={t('chip.summary')} />}
                {call.followUp && <Chip label={t('chip.followUp')} tone="attention" />}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {nextCursor && (
        <button type="button" className="more" onClick={() => void loadMore()} disabled={loading}>
          {t('calls.more')}
        </button>
      )}
    </section>
  )
}

import { useEffect } from 'react'
import { useCalls, type CallFilters } from '../../state/calls'
import { RecordingChip, Chip } from '../../components/StatusChip'
import { formatDateTime, formatDuration } from '../../format'

export function CallList() {
  const { items, loading, error, nextCursor, filters, selectedSid, load, loadMore, select } = useCalls()

  useEffect(() => {
    void useCalls.getState().load()
  }, [])

  const setFilter = (patch: Partial<CallFilters>) => void load({ ...filters, ...patch })

  return (
    <section className="call-list" aria-label="Calls">
      <div className="filters" role="group" aria-label="Filters">
        <label>
          Direction
          <select
            value={filters.direction ?? ''}
            onChange={(e) =>
              setFilter({ direction: (e.target.value || undefined) as CallFilters['direction'] })
            }
          >
            <option value="">All</option>
            <option value="inbound">Inbound</option>
            <option value="outbound">Outbound</option>
          </select>
        </label>
        <label>
          Recording
          <select
            value={filters.recording ?? ''}
            onChange={(e) =>
              setFilter({ recording: (e.target.value || undefined) as CallFilters['recording'] })
            }
          >
            <option value="">All</option>
            <option value="ready">Ready</option>
            <option value="preparing">Preparing</option>
            <option value="missing">No recording</option>
            <option value="failed">Failed</option>
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={filters.followUp === true}
            onChange={(e) => setFilter({ followUp: e.target.checked ? true : undefined })}
          />
          Needs follow-up
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          Could not load calls: {error}
        </p>
      )}
      {!loading && items.length === 0 && !error && <p className="empty">No calls yet.</p>}
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
              <span className="direction" aria-label={call.direction}>
                {call.direction === 'inbound' ? '↙' : '↗'}
              </span>
              <span className="party" dir="ltr">
                {call.direction === 'inbound' ? call.from : call.to}
              </span>
              <span className="duration">{formatDuration(call.durationSec)}</span>
              <span className="chips">
                <RecordingChip state={call.recording} />
                {call.hasTranscript && <Chip label="Transcript" />}
                {call.hasSummary && <Chip label="Summary" />}
                {call.followUp && <Chip label="Follow up" tone="attention" />}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {nextCursor && (
        <button type="button" className="more" onClick={() => void loadMore()} disabled={loading}>
          Load older calls
        </button>
      )}
    </section>
  )
}

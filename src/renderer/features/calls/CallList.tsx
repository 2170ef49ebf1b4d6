import { useShallow } from 'zustand/react/shallow'
import { answeredByText, PartyName } from '../../components/PartyName'
import { useEffect, useRef, useState } from 'react'
import { useCalls, type CallFilters } from '../../state/calls'
import { useT } from '../../state/locale'
import { RecordingChip, Chip } from '../../components/StatusChip'
import { WorkChip } from '../../components/WorkChip'
import { formatDateTime, formatDuration } from '../../format'
import './calls.css'

/** Local midnight of a yyyy-mm-dd input (plus `days`), as epoch ms; undefined when cleared. */
function dayStart(value: string, days = 0): number | undefined {
  if (!value) return undefined
  const [year, month, day] = value.split('-').map(Number) as [number, number, number]
  return new Date(year, month - 1, day + days).getTime()
}

function dateValue(epochMs: number | undefined, days = 0): string {
  if (epochMs === undefined) return ''
  const date = new Date(epochMs)
  date.setDate(date.getDate() + days)
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`
}

const ROW_HEIGHT = 48
const OVERSCAN = 12

export function CallList() {
  const t = useT()
  const { items, loading, error, nextCursor, filters, selectedSid, load, loadMore, select } = useCalls(
    useShallow((state) => ({
      items: state.items,
      loading: state.loading,
      error: state.error,
      nextCursor: state.nextCursor,
      filters: state.filters,
      selectedSid: state.selectedSid,
      load: state.load,
      loadMore: state.loadMore,
      select: state.select,
    })),
  )

  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(800)
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(items.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN)

  useEffect(() => {
    void useCalls.getState().load()
  }, [])
  useEffect(() => {
    const element = scroller.current
    if (!element) return
    const observer = new ResizeObserver(() => setViewport(element.clientHeight))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  // Older pages load as the user scrolls toward the end.
  useEffect(() => {
    if (nextCursor && !loading && last >= items.length - OVERSCAN) void loadMore()
  }, [last, items.length, nextCursor, loading, loadMore])
  // Keyboard selection (J/K) keeps the selected row in view.
  useEffect(() => {
    const element = scroller.current
    const index = items.findIndex((item) => item.callSid === selectedSid)
    if (!element || index < 0) return
    const top = index * ROW_HEIGHT
    if (top < element.scrollTop) element.scrollTop = top
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight)
      element.scrollTop = top + ROW_HEIGHT - element.clientHeight
  }, [selectedSid, items])

  const setFilter = (patch: Partial<CallFilters>) => void load({ ...filters, ...patch })

  return (
    <section className="call-list" aria-label={t('calls.region')}>
      <div className="filters" role="group" aria-label={t('calls.filters')}>
        <label>
          {t('calls.from')}
          <input
            type="date"
            value={dateValue(filters.since)}
            onChange={(e) => setFilter({ since: dayStart(e.target.value) })}
          />
        </label>
        <label>
          {t('calls.to')}
          <input
            type="date"
            value={dateValue(filters.until, -1)}
            onChange={(e) => setFilter({ until: dayStart(e.target.value, 1) })}
          />
        </label>
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
      {!loading && items.length === 0 && !error && (
        <p className="empty">
          {t(Object.values(filters).some((value) => value !== undefined) ? 'calls.noMatch' : 'calls.empty')}
        </p>
      )}
      <div
        className="rows"
        ref={scroller}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        role="list"
      >
        {/* Only the rows in view exist in the DOM: smooth with tens of thousands of calls. */}
        <div style={{ height: items.length * ROW_HEIGHT, position: 'relative' }}>
          {items.slice(first, last).map((call, offset) => (
            <div
              key={call.callSid}
              role="listitem"
              style={{
                position: 'absolute',
                top: (first + offset) * ROW_HEIGHT,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
              }}
            >
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
                <span className="party" title={answeredByText(call.answeredBy, t)}>
                  <PartyName value={call.direction === 'inbound' ? call.from : call.to} />
                  {call.answeredBy && (
                    <span className="answered-by"> {answeredByText(call.answeredBy, t)}</span>
                  )}
                </span>
                <span className="duration">{formatDuration(call.durationSec)}</span>
                <span className="chips">
                  <WorkChip recordingSid={call.recordingSid} />
                  <RecordingChip state={call.recording} />
                  {call.hasTranscript && <Chip kind="transcript" label={t('chip.transcript')} />}
                  {call.hasSummary && <Chip kind="summary" label={t('chip.summary')} />}
                  {call.followUp && <Chip kind="followUp" label={t('chip.followUp')} tone="attention" />}
                  {call.hasNote && <Chip kind="note" label={t('chip.note')} />}
                  {call.assignee && <Chip kind="assignee" label={call.assignee} tone="info" />}
                </span>
              </button>
            </div>
          ))}
        </div>
      </div>
      {nextCursor && (
        <button type="button" className="more" onClick={() => void loadMore()} disabled={loading}>
          {t('calls.more')}
        </button>
      )}
      <p className="shortcuts">{t('shortcuts.hint')}</p>
    </section>
  )
}

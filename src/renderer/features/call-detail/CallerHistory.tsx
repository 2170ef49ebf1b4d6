import { useEffect, useState } from 'react'
import type { CallListItem } from '../../../shared/types'
import { api, unwrap } from '../../api'
import { formatDateTime, formatDuration } from '../../format'
import { useCalls } from '../../state/calls'
import { useT } from '../../state/locale'
import { RecordingChip } from '../../components/StatusChip'

/** Every call with the same outside number, newest first, one click away from the call header. */
export function CallerHistory({ number, currentSid }: { number: string; currentSid: string }) {
  const t = useT()
  const select = useCalls((state) => state.select)
  const [calls, setCalls] = useState<CallListItem[] | null>(null)
  const [open, setOpen] = useState(false)
  useEffect(() => {
    let live = true
    void api()
      .call['calls.history']({ number })
      .then((envelope) => live && setCalls(unwrap(envelope)))
      .catch(() => live && setCalls([]))
    return () => {
      live = false
    }
  }, [number])
  if (!calls || calls.length <= 1) return null
  return (
    <div className="history">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('history.show', { count: calls.length })}
      </button>
      {open && (
        <ul aria-label={t('history.title', { number })}>
          {calls.map((call) => (
            <li key={call.callSid}>
              <button
                type="button"
                aria-current={call.callSid === currentSid}
                onClick={() => select(call.callSid)}
              >
                {formatDateTime(call.startedAt)} · {formatDuration(call.durationSec)}{' '}
                <RecordingChip state={call.recording} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

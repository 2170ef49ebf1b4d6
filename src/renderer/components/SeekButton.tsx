import type { MessageKey } from '../i18n/en'
import { formatClock } from '../format'
import { useT } from '../state/locale'
import { usePlayer } from '../state/player'

/** Shows a moment of the call (m:ss) and plays from there; `label` names what the moment is. */
export function SeekButton({ ms, className, label }: { ms: number; className: string; label: MessageKey }) {
  const t = useT()
  const seek = usePlayer((state) => state.seek)
  const time = formatClock(ms)
  return (
    <button type="button" className={className} onClick={() => seek(ms)} aria-label={t(label, { time })}>
      {time}
    </button>
  )
}

import type { MessageKey } from '../i18n/en'
import { formatClock } from '../format'
import { useT } from '../state/locale'
import { usePlayer } from '../state/player'

/**
 * Shows a moment of the call (m:ss) and plays from there; `label` names what the moment is. A citation
 * (`segmentIndex`) also brings its transcript line into view.
 */
export function SeekButton({
  ms,
  className,
  label,
  segmentIndex,
}: {
  ms: number
  className: string
  label: MessageKey
  segmentIndex?: number
}) {
  const t = useT()
  const playFrom = usePlayer((state) => state.playFrom)
  const time = formatClock(ms)
  const onClick = () => {
    playFrom(ms)
    if (segmentIndex !== undefined)
      document
        .getElementById(`segment-${segmentIndex}`)
        ?.scrollIntoView({ block: 'center', behavior: 'smooth' })
  }
  return (
    <button type="button" className={className} onClick={onClick} aria-label={t(label, { time })}>
      {time}
    </button>
  )
}

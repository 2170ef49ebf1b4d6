import { useT } from '../state/locale'
import type { AvailabilityState } from '../../shared/types'

export function RecordingChip({ state }: { state: AvailabilityState }) {
  const t = useT()
  return (
    <span className={`chip chip-${state}`} title={`${t('calls.recording')}: ${t(`chip.${state}`)}`}>
      {t(`chip.${state}`)}
    </span>
  )
}

export function Chip({ label, tone = 'neutral' }: { label: string; tone?: 'neutral' | 'attention' }) {
  return <span className={`chip chip-${tone}`}>{label}</span>
}

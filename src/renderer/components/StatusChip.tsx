import type { AvailabilityState } from '../../shared/types'

const LABELS: Record<AvailabilityState, string> = {
  ready: 'Ready',
  preparing: 'Preparing',
  missing: 'No recording',
  failed: 'Failed',
}

export function RecordingChip({ state }: { state: AvailabilityState }) {
  return (
    <span className={`chip chip-${state}`} title={`Recording: ${LABELS[state]}`}>
      {LABELS[state]}
    </span>
  )
}

export function Chip({ label, tone = 'neutral' }: { label: string; tone?: 'neutral' | 'attention' }) {
  return <span className={`chip chip-${tone}`}>{label}</span>
}

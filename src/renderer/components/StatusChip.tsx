import type { AvailabilityState } from '../../shared/types'
import { useT } from '../state/locale'

/** A glyph per state, so a narrow list can show every state without its word (the word stays for readers). */
const ICONS: Record<AvailabilityState | ChipKind, string> = {
  ready: '▶',
  preparing: '…',
  missing: '∅',
  failed: '!',
  transcript: '¶',
  summary: '≡',
  followUp: '⚑',
  working: '⟳',
  note: '✎',
  assignee: '@',
}

type ChipKind = 'transcript' | 'summary' | 'followUp' | 'working' | 'note' | 'assignee'

function ChipBody({ icon, label }: { icon: string; label: string }) {
  return (
    <>
      <span className="chip-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="chip-text">{label}</span>
    </>
  )
}

export function RecordingChip({ state }: { state: AvailabilityState }) {
  const t = useT()
  return (
    <span className={`chip chip-${state}`} title={`${t('calls.recording')}: ${t(`chip.${state}`)}`}>
      <ChipBody icon={ICONS[state]} label={t(`chip.${state}`)} />
    </span>
  )
}

export function Chip({
  kind,
  label,
  tone = 'neutral',
}: {
  kind: ChipKind
  label: string
  tone?: 'neutral' | 'attention' | 'info'
}) {
  return (
    <span className={`chip chip-${tone}`} title={label}>
      <ChipBody icon={ICONS[kind]} label={label} />
    </span>
  )
}

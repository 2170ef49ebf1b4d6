import { useEffect, useId, useState } from 'react'
import type { CallDetail } from '../../../shared/types'
import { CommittedField } from '../../components/CommittedField'
import { formatDateTime } from '../../format'
import { useCallDetail } from '../../state/call-detail'
import { useT } from '../../state/locale'
import { isDesk, useOffice } from '../../state/office'

const NOTE_MAX = 4000

/**
 * What people decided about the call: needs follow-up, who it is assigned to, a note. In office mode every
 * desk sees a change at once, with who made it.
 */
export function ReviewPanel({ detail }: { detail: CallDetail }) {
  const t = useT()
  const id = useId()
  const review = useCallDetail((state) => state.review)
  const error = useCallDetail((state) => state.error)
  const names = useOffice((state) => state.names)
  const desk = useOffice((state) => isDesk(state.status))
  // In an office, a call is assigned to one of its people (the list is offered; any name still goes).
  useEffect(() => {
    if (desk) void useOffice.getState().loadNames()
  }, [desk])
  const { followUp, note, assignee, updatedAt, updatedBy } = detail.review
  const suggested = detail.summary?.followUp ?? false
  // The note is saved when the field is left; a change from another desk shows unless one is being typed.
  // (Keyed by call in the pane, so a draft never carries over to the next call.)
  const [draft, setDraft] = useState<string | null>(null)

  const saveNote = () => {
    if (draft === null) return
    const text = draft.trim()
    setDraft(null)
    if (text !== note) void review({ note: text })
  }

  return (
    <section className="review" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('review.title')}</h3>
      <label className="inline">
        <input
          type="checkbox"
          checked={followUp ?? suggested}
          onChange={(e) => void review({ followUp: e.target.checked })}
        />
        {t('calls.followUp')}
        {followUp === null && suggested && <span className="hint"> · {t('review.suggested')}</span>}
      </label>
      <CommittedField
        label={t('review.assignee')}
        kind="text"
        maxLength={100}
        suggestions={names}
        value={assignee ?? ''}
        onCommit={(value: string) => review({ assignee: value.trim() || null })}
      />
      <label htmlFor={`${id}-note`}>{t('review.note')}</label>
      <textarea
        id={`${id}-note`}
        rows={3}
        maxLength={NOTE_MAX}
        dir="auto"
        value={draft ?? note}
        placeholder={t('review.notePlaceholder')}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={saveNote}
        onKeyDown={(e) => e.key === 'Escape' && setDraft(null)}
      />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {updatedAt !== null && (
        <p className="hint">
          {updatedBy
            ? t('review.changedBy', { person: updatedBy, time: formatDateTime(updatedAt) })
            : t('review.changed', { time: formatDateTime(updatedAt) })}
        </p>
      )}
    </section>
  )
}

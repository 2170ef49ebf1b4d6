import { useId, useState } from 'react'
import { useT } from '../state/locale'

type Props = {
  label: string
  /** The stored value; the field shows it whenever the user is not editing. */
  value: number | string
  onCommit: (value: never) => Promise<unknown> | void
} & (
  | { kind: 'integer'; min: number; max: number }
  | {
      kind: 'text'
      maxLength: number
      /** Offered as the user types (any text is still allowed). */ suggestions?: string[]
    }
)

/**
 * A setting edited as text: typing changes only the field; the value is checked and saved on Enter or
 * when the field loses focus (Escape puts the stored value back). Nothing is saved half-typed — "120" is
 * never stored as 1, 12 and then 120 — and a value that does not fit says why, in the user's language.
 */
export function CommittedField(props: Props) {
  const t = useT()
  const id = useId()
  const stored = String(props.value)
  // While the user edits, the field shows what they typed; otherwise whatever is stored.
  const [draft, setDraft] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const commit = () => {
    if (draft === null) return
    if (props.kind === 'integer') {
      const text = draft.trim()
      const number = Number(text)
      if (!/^\d+$/.test(text) || number < props.min || number > props.max) {
        setProblem(t('field.integerRange', { min: props.min, max: props.max }))
        return
      }
      setProblem(null)
      setDraft(null)
      if (number !== props.value) void (props.onCommit as (value: number) => unknown)(number)
    } else {
      if (draft.length > props.maxLength) {
        setProblem(t('field.tooLong', { max: props.maxLength }))
        return
      }
      setProblem(null)
      setDraft(null)
      if (draft !== props.value) void (props.onCommit as (value: string) => unknown)(draft)
    }
  }

  return (
    <label>
      {props.label}
      <input
        type="text"
        inputMode={props.kind === 'integer' ? 'numeric' : 'text'}
        dir={props.kind === 'text' ? 'auto' : undefined}
        list={props.kind === 'text' && props.suggestions?.length ? `${id}-suggestions` : undefined}
        value={draft ?? stored}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit()
          if (event.key === 'Escape') {
            setProblem(null)
            setDraft(null)
          }
        }}
      />
      {props.kind === 'text' && props.suggestions?.length ? (
        <datalist id={`${id}-suggestions`}>
          {props.suggestions.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      ) : null}
      {problem && (
        <span id={`${id}-problem`} className="field-problem" role="alert">
          {problem}
        </span>
      )}
    </label>
  )
}

import { useT } from '../../state/locale'

/** The pairing code an administrator gave: left to right in any language, never spell-checked. */
export function PairingCodeField({
  id,
  value,
  onChange,
}: {
  id: string
  value: string
  onChange: (value: string) => void
}) {
  const t = useT()
  return (
    <>
      <label htmlFor={id}>{t('office.code')}</label>
      <input
        id={id}
        type="text"
        dir="ltr"
        autoComplete="one-time-code"
        spellCheck={false}
        placeholder="XXXXX-XXXXX"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </>
  )
}

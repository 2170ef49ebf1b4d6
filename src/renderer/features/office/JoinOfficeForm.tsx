import { useId, useState } from 'react'
import { ConsentPrompt } from '../../components/ConsentPrompt'
import { PairingCodeField } from './PairingCodeField'
import { useT } from '../../state/locale'
import { useOffice } from '../../state/office'

/** The server's address and a pairing code from its admin: this computer becomes a desk of the office. */
export function JoinOfficeForm() {
  const t = useT()
  const id = useId()
  const connect = useOffice((state) => state.connect)
  const error = useOffice((state) => state.error)
  const [address, setAddress] = useState('')
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [needsConsent, setNeedsConsent] = useState(false)

  const join = async (allowUnprotected = false) => {
    setBusy(true)
    const outcome = await connect(address.trim(), code.trim(), allowUnprotected)
    setBusy(false)
    setNeedsConsent(outcome === 'needs-consent')
  }

  return (
    <form className="office-form" onSubmit={(event) => (event.preventDefault(), void join())}>
      <p className="hint">{t('office.joinHint')}</p>
      <label htmlFor={`${id}-address`}>{t('office.address')}</label>
      <input
        id={`${id}-address`}
        type="text"
        dir="ltr"
        inputMode="url"
        autoComplete="off"
        placeholder="https://office-pc:4433"
        value={address}
        onChange={(e) => setAddress(e.target.value)}
      />
      <PairingCodeField id={`${id}-code`} value={code} onChange={setCode} />
      <button type="submit" className="primary" disabled={busy || !address.trim() || !code.trim()}>
        {busy ? t('office.joining') : t('office.join')}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {needsConsent && <ConsentPrompt onAgree={() => void join(true)} />}
    </form>
  )
}

import { useShallow } from 'zustand/react/shallow'
import { useId, useState } from 'react'
import { useNoticeText, useT } from '../../state/locale'
import { ConsentPrompt } from '../../components/ConsentPrompt'
import { useWorkspace, type CredentialsInput } from '../../state/workspace'
import { errorMessage } from '../../state/errors'

/** Enter, test and save Twilio credentials. Secrets go to main and are never read back. */
export function TwilioAccountForm({ onSaved }: { onSaved?: () => void }) {
  const t = useT()
  const say = useNoticeText()
  const id = useId()
  const { test, save } = useWorkspace(useShallow((state) => ({ test: state.test, save: state.save })))
  const credentialsLost = useWorkspace((state) => state.view?.twilio.savedCredentialsLost ?? false)
  const [accountSid, setAccountSid] = useState('')
  const [kind, setKind] = useState<'api-key' | 'auth-token'>('api-key')
  const [keySid, setKeySid] = useState('')
  const [keySecret, setKeySecret] = useState('')
  const [authToken, setAuthToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const [needsConsent, setNeedsConsent] = useState(false)

  const credentials = (): CredentialsInput =>
    kind === 'api-key'
      ? { accountSid: accountSid.trim(), auth: { kind, keySid: keySid.trim(), keySecret: keySecret.trim() } }
      : { accountSid: accountSid.trim(), auth: { kind, authToken: authToken.trim() } }
  const complete =
    accountSid.trim() !== '' && (kind === 'api-key' ? keySid.trim() && keySecret.trim() : authToken.trim())

  const runTest = async () => {
    setBusy(true)
    try {
      const tested = await test(credentials())
      setResult({ ok: tested.ok, text: say(tested.message) })
    } catch (error) {
      setResult({ ok: false, text: errorMessage(error) })
    } finally {
      setBusy(false)
    }
  }

  const runSave = async (allowUnprotected = false) => {
    setBusy(true)
    const outcome = await save(credentials(), allowUnprotected)
    setBusy(false)
    setNeedsConsent(outcome === 'needs-consent')
    if (outcome === 'saved') {
      setKeySecret('')
      setAuthToken('')
      setResult({ ok: true, text: t('twilio.saved') })
      onSaved?.()
    }
  }

  return (
    <form className="twilio-form" onSubmit={(event) => (event.preventDefault(), void runSave())}>
      {credentialsLost && (
        <p role="alert" className="error">
          {t('twilio.credentialsLost')}
        </p>
      )}
      <label htmlFor={`${id}-account`}>{t('twilio.accountSid')}</label>
      <input
        id={`${id}-account`}
        dir="ltr"
        autoComplete="off"
        spellCheck={false}
        placeholder="AC…"
        value={accountSid}
        onChange={(e) => setAccountSid(e.target.value)}
      />
      <fieldset>
        <legend>{t('twilio.authKind')}</legend>
        <label className="inline">
          <input
            type="radio"
            name={`${id}-kind`}
            checked={kind === 'api-key'}
            onChange={() => setKind('api-key')}
          />
          {t('twilio.apiKey')}
        </label>
        <label className="inline">
          <input
            type="radio"
            name={`${id}-kind`}
            checked={kind === 'auth-token'}
            onChange={() => setKind('auth-token')}
          />
          {t('twilio.authToken')}
        </label>
      </fieldset>
      {kind === 'api-key' ? (
        <>
          <label htmlFor={`${id}-key`}>{t('twilio.keySid')}</label>
          <input
            id={`${id}-key`}
            dir="ltr"
            autoComplete="off"
            spellCheck={false}
            placeholder="SK…"
            value={keySid}
            onChange={(e) => setKeySid(e.target.value)}
          />
          <label htmlFor={`${id}-secret`}>{t('twilio.keySecret')}</label>
          <input
            id={`${id}-secret`}
            dir="ltr"
            type="password"
            autoComplete="off"
            value={keySecret}
            onChange={(e) => setKeySecret(e.target.value)}
          />
          <p className="hint">{t('twilio.keyHelp')}</p>
        </>
      ) : (
        <>
          <label htmlFor={`${id}-token`}>{t('twilio.token')}</label>
          <input
            id={`${id}-token`}
            dir="ltr"
            type="password"
            autoComplete="off"
            value={authToken}
            onChange={(e) => setAuthToken(e.target.value)}
          />
        </>
      )}
      <div className="actions">
        <button type="button" disabled={!complete || busy} onClick={() => void runTest()}>
          {busy ? t('twilio.testing') : t('twilio.test')}
        </button>
        <button type="submit" className="primary" disabled={!complete || busy}>
          {t('twilio.save')}
        </button>
      </div>
      {result && (
        <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok' : 'error'}>
          {result.text}
        </p>
      )}
      {needsConsent && <ConsentPrompt onAgree={() => void runSave(true)} />}
    </form>
  )
}

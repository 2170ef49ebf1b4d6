import { useId, useState } from 'react'
import { notice, type Notice } from '../../../shared/notice'
import { api } from '../../api'
import { LanguageSelect } from '../../components/LanguageSelect'
import { useNoticeText, useT } from '../../state/locale'
import { PairingCodeField } from './PairingCodeField'
import './office.css'

/**
 * A browser at the office server that is not signed in (or that the office signed out): a pairing code from
 * the administrator signs it in, and the page starts over with the office's calls.
 */
export function BrowserSignIn() {
  const t = useT()
  const say = useNoticeText()
  const id = useId()
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Notice | null>(null)

  const signIn = async () => {
    setBusy(true)
    const answer = await api().signIn!(code.trim())
    setBusy(false)
    setProblem(
      answer.ok ? null : (answer.error.notice ?? notice('unexpected', { detail: answer.error.message })),
    )
  }

  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('app.name')}</h1>
        <LanguageSelect />
      </header>
      <main className="sign-in">
        <section aria-labelledby={`${id}-title`} className="card office">
          <h2 id={`${id}-title`}>{t('office.signIn.title')}</h2>
          <form className="office-form" onSubmit={(event) => (event.preventDefault(), void signIn())}>
            <p className="hint">{t('office.signIn.hint')}</p>
            <PairingCodeField id={`${id}-code`} value={code} onChange={setCode} />
            <button type="submit" className="primary" disabled={busy || !code.trim()}>
              {busy ? t('office.signIn.busy') : t('office.signIn.submit')}
            </button>
            {problem && (
              <p role="alert" className="error">
                {say(problem)}
              </p>
            )}
          </form>
        </section>
      </main>
    </div>
  )
}

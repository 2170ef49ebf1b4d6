import { useT } from '../../state/locale'
import { useWorkspace } from '../../state/workspace'
import { ImportRange } from '../settings/ImportRange'
import { TwilioAccountForm } from '../settings/TwilioAccountForm'
import { JoinOfficeForm } from '../office/JoinOfficeForm'
import { useOffice } from '../../state/office'
import './onboarding.css'

/**
 * Shown until a workspace exists: connect the office's Twilio account, join the office's library (a desk),
 * or try the sample calls.
 */
export function FirstRun() {
  const t = useT()
  const startDemo = useWorkspace((state) => state.startDemo)
  const error = useWorkspace((state) => state.error)
  // At the office server itself (a browser signed in there) there is no other office to join.
  const atOffice = useOffice((state) => state.status?.kind === 'server')
  return (
    <main className="first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title">{t('firstRun.title')}</h2>
      <p>{t('firstRun.intro')}</p>
      <div className="first-run-options">
        <section aria-labelledby="connect-title" className="card">
          <h3 id="connect-title">{t('firstRun.connect')}</h3>
          <TwilioAccountForm />
          <ImportRange />
        </section>
        {!atOffice && (
          <section aria-labelledby="office-title" className="card">
            <h3 id="office-title">{t('firstRun.office')}</h3>
            <JoinOfficeForm />
          </section>
        )}
        <section aria-labelledby="demo-title" className="card">
          <h3 id="demo-title">{t('firstRun.demo')}</h3>
          <p>{t('firstRun.demoHint')}</p>
          <button type="button" className="primary" onClick={() => void startDemo()}>
            {t('firstRun.demo')}
          </button>
        </section>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </main>
  )
}

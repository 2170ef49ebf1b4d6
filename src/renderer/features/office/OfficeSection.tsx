import { useId } from 'react'
import { useNoticeText, useT } from '../../state/locale'
import { isDesk, useOffice } from '../../state/office'
import { JoinOfficeForm } from './JoinOfficeForm'
import { PeoplePanel } from './PeoplePanel'
import './office.css'

/**
 * Settings → Office: join the office library, or (joined) who this desk is signed in as, and leave; in a
 * browser at the office server, who is signed in, and signing out.
 */
export function OfficeSection() {
  const t = useT()
  const say = useNoticeText()
  const id = useId()
  const status = useOffice((state) => state.status)
  const disconnect = useOffice((state) => state.disconnect)
  const offerWork = useOffice((state) => state.offerWork)
  /** Leaving (a desk) or signing out (a browser) needs a new code to come back: asked first. */
  const leave = (question: string) => {
    if (window.confirm(question)) void disconnect()
  }
  return (
    <section aria-labelledby={`${id}-title`} className="card office">
      <h3 id={`${id}-title`}>{t('office.title')}</h3>
      {isDesk(status) ? (
        <>
          <p>
            {t('office.joinedAs', {
              address: status.address,
              person: status.person,
              role: t(`office.role.${status.role}`),
            })}
          </p>
          <p className="hint" role="status">
            {status.problem ? say(status.problem) : t(`office.state.${status.state}`)}
          </p>
          <label className="inline">
            <input
              type="checkbox"
              checked={status.work.offered}
              onChange={(e) => void offerWork(e.target.checked)}
            />
            {t('office.offerWork')}
          </label>
          {status.work.offered && (
            <p className="hint" role="status">
              {status.work.state === 'resting'
                ? t('office.work.resting', { reason: status.work.problem ? say(status.work.problem) : '' })
                : t(`office.work.${status.work.state}`)}{' '}
              · {t('office.work.done', { count: status.work.done })}
            </p>
          )}
          <button type="button" onClick={() => leave(t('office.leaveConfirm'))}>
            {t('office.leave')}
          </button>
          {status.role === 'admin' && status.state === 'connected' && <PeoplePanel />}
        </>
      ) : status?.kind === 'server' ? (
        <>
          <p>
            {t('office.signedInAs', {
              person: status.person ?? '',
              role: t(`office.role.${status.role}`),
            })}
          </p>
          <button type="button" onClick={() => leave(t('office.signOutConfirm'))}>
            {t('office.signOut')}
          </button>
          {status.role === 'admin' && <PeoplePanel />}
        </>
      ) : (
        <JoinOfficeForm />
      )}
    </section>
  )
}

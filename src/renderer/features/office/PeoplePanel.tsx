import { useEffect, useId, useState } from 'react'
import type { Role } from '../../../shared/access'
import { formatDateTime } from '../../format'
import { useT } from '../../state/locale'
import { useOffice } from '../../state/office'

/** The office's people (admins only): invite someone with a pairing code, sign a device out. */
export function PeoplePanel() {
  const t = useT()
  const id = useId()
  const { people, invitation, loadPeople, invite, revoke } = useOffice()
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('staff')
  useEffect(() => void loadPeople(), [loadPeople])

  return (
    <section aria-labelledby={`${id}-title`} className="people">
      <h4 id={`${id}-title`}>{t('office.people')}</h4>
      <form
        className="invite-form"
        onSubmit={(event) => {
          event.preventDefault()
          if (name.trim()) void invite(name.trim(), role).then(() => setName(''))
        }}
      >
        <label>
          {t('office.personName')}
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('office.role')}
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="staff">{t('office.role.staff')}</option>
            <option value="admin">{t('office.role.admin')}</option>
          </select>
        </label>
        <button type="submit" disabled={!name.trim()}>
          {t('office.invite')}
        </button>
      </form>
      {invitation && (
        <p className="invitation" role="status">
          {t('office.invited', { address: invitation.address, time: formatDateTime(invitation.expiresAt) })}{' '}
          <code dir="ltr">{invitation.code}</code>
        </p>
      )}
      <ul className="people-list">
        {people?.people.map((person) => (
          <li key={person.name}>
            <strong>{person.name}</strong> · {t(`office.role.${person.role}`)}
            {person.sessions.length === 0 && <span className="hint"> · {t('office.noDevices')}</span>}
            <ul>
              {person.sessions.map((session) => (
                <li key={session.id}>
                  <bdi dir="ltr">{session.device}</bdi> ·{' '}
                  {t('office.lastSeen', { time: formatDateTime(session.lastSeenAt ?? session.createdAt) })}{' '}
                  <button
                    type="button"
                    onClick={() => {
                      if (
                        window.confirm(
                          t('office.revokeConfirm', { name: person.name, device: session.device }),
                        )
                      )
                        void revoke(session.id)
                    }}
                  >
                    {t('office.revoke')}
                  </button>
                </li>
              ))}
            </ul>
          </li>
        ))}
        {people?.invitations.map((waiting) => (
          <li key={`${waiting.name}-${waiting.expiresAt}`} className="hint">
            {t('office.waiting', { name: waiting.name, time: formatDateTime(waiting.expiresAt) })}
          </li>
        ))}
      </ul>
    </section>
  )
}

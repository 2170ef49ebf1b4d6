import type { Role } from '../../../shared/access'
import type { OfficePeopleView } from '../../../shared/types'
import {
  peopleView,
  type InvitationRow,
  type PersonRow,
  type SessionListRow,
  type SessionRow,
} from '../office-access'
import type { Sql } from './connection'

/** The office server's people, pairing codes and sessions (PostgreSQL): the twin of OfficeAccessRepository. */
export class PgOfficeAccessRepository {
  constructor(private readonly db: Sql) {}

  /** Adds a pairing code for a person (made, or given the role, if needed). */
  async addCode(code: string, name: string, role: Role, expiresAt: number, now: number): Promise<void> {
    await this.db.transaction(async () => {
      const { rows } = await this.db.query<{ id: number }>(
        `INSERT INTO office_people (name, role, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET role = excluded.role RETURNING id`,
        [name, role, now],
      )
      await this.db.query(
        'INSERT INTO office_pairing_codes (code, person_id, expires_at, created_at) VALUES ($1, $2, $3, $4)',
        [code, rows[0]!.id, expiresAt, now],
      )
    })
  }

  /** Codes not yet expired (expired ones are removed on the way). */
  async pendingCodesAt(
    now: number,
  ): Promise<{ code: string; person: string; role: Role; person_id: number }[]> {
    await this.db.query('DELETE FROM office_pairing_codes WHERE expires_at <= $1', [now])
    const { rows } = await this.db.query<{ code: string; person: string; role: Role; person_id: number }>(
      `SELECT pc.code, p.name AS person, p.role, pc.person_id FROM office_pairing_codes pc
       JOIN office_people p ON p.id = pc.person_id WHERE pc.expires_at > $1`,
      [now],
    )
    return rows
  }

  /** Uses a code up and opens a session for its person, in one transaction: a code opens one session. */
  redeem(
    code: string,
    personId: number,
    tokenHash: string,
    device: string,
    now: number,
  ): Promise<number | null> {
    return this.db.transaction(async () => {
      const used = await this.db.query('DELETE FROM office_pairing_codes WHERE code = $1', [code])
      if (used.rowCount !== 1) return null
      const { rows } = await this.db.query<{ id: number }>(
        `INSERT INTO office_sessions (token_hash, person_id, device, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id`,
        [tokenHash, personId, device, now],
      )
      return rows[0]!.id
    })
  }

  async session(tokenHash: string): Promise<SessionRow | undefined> {
    const { rows } = await this.db.query<SessionRow>(
      `SELECT s.id, p.name AS person, p.role, s.last_seen_at AS "lastSeenAt" FROM office_sessions s
       JOIN office_people p ON p.id = s.person_id WHERE s.token_hash = $1 AND s.revoked_at IS NULL`,
      [tokenHash],
    )
    return rows[0]
  }

  async seen(sessionId: number, now: number): Promise<void> {
    await this.db.query('UPDATE office_sessions SET last_seen_at = $1 WHERE id = $2', [now, sessionId])
  }

  async isActive(sessionId: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'SELECT 1 FROM office_sessions WHERE id = $1 AND revoked_at IS NULL',
      [sessionId],
    )
    return rowCount === 1
  }

  /** False if there is no such session. */
  async revoke(sessionId: number, now: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE office_sessions SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2',
      [now, sessionId],
    )
    return rowCount === 1
  }

  async people(now: number): Promise<OfficePeopleView> {
    const [people, sessions, invitations] = await Promise.all([
      this.db.query<PersonRow>('SELECT id, name, role FROM office_people ORDER BY name'),
      this.db.query<SessionListRow>(
        `SELECT id, person_id, device, created_at, last_seen_at FROM office_sessions
         WHERE revoked_at IS NULL ORDER BY created_at`,
      ),
      this.db.query<InvitationRow>(
        `SELECT p.name, p.role, pc.expires_at FROM office_pairing_codes pc
         JOIN office_people p ON p.id = pc.person_id WHERE pc.expires_at > $1 ORDER BY pc.expires_at`,
        [now],
      ),
    ])
    return peopleView(people.rows, sessions.rows, invitations.rows)
  }
}

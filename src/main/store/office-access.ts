import type { Role } from '../../shared/access'
import type { OfficePeopleView, OfficePerson } from '../../shared/types'
import type { Db } from './database'

export interface SessionRow {
  id: number
  person: string
  role: Role
  lastSeenAt: number | null
}

/** The office server's people, pairing codes and sessions (SQL only; the rules are in office/access). */
export class OfficeAccessRepository {
  private readonly personByName
  private readonly insertPerson
  private readonly setRole
  private readonly insertCode
  private readonly pendingCodes
  private readonly deleteCode
  private readonly deleteExpired
  private readonly insertSession
  private readonly sessionByHash
  private readonly touchSession
  private readonly revokeSession
  private readonly sessionById
  private readonly activeById
  private readonly peopleRows
  private readonly sessionRows
  private readonly invitationRows

  constructor(private readonly db: Db) {
    this.personByName = db.prepare(`SELECT id, role FROM office_people WHERE name = ?`)
    this.insertPerson = db.prepare(`INSERT INTO office_people (name, role, created_at) VALUES (?, ?, ?)`)
    this.setRole = db.prepare(`UPDATE office_people SET role = ? WHERE id = ?`)
    this.insertCode = db.prepare(
      `INSERT INTO office_pairing_codes (code, person_id, expires_at, created_at) VALUES (?, ?, ?, ?)`,
    )
    this.pendingCodes = db.prepare(
      `SELECT pc.code, p.name AS person, p.role, pc.person_id FROM office_pairing_codes pc
       JOIN office_people p ON p.id = pc.person_id WHERE pc.expires_at > ?`,
    )
    this.deleteCode = db.prepare(`DELETE FROM office_pairing_codes WHERE code = ?`)
    this.deleteExpired = db.prepare(`DELETE FROM office_pairing_codes WHERE expires_at <= ?`)
    this.insertSession = db.prepare(
      `INSERT INTO office_sessions (token_hash, person_id, device, created_at, last_seen_at)
       VALUES (?, ?, ?, ?, ?)`,
    )
    this.sessionByHash = db.prepare(
      `SELECT s.id, p.name AS person, p.role, s.last_seen_at AS lastSeenAt FROM office_sessions s
       JOIN office_people p ON p.id = s.person_id WHERE s.token_hash = ? AND s.revoked_at IS NULL`,
    )
    this.touchSession = db.prepare(`UPDATE office_sessions SET last_seen_at = ? WHERE id = ?`)
    this.revokeSession = db.prepare(
      `UPDATE office_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`,
    )
    this.sessionById = db.prepare(`SELECT id FROM office_sessions WHERE id = ?`)
    this.activeById = db.prepare(`SELECT id FROM office_sessions WHERE id = ? AND revoked_at IS NULL`)
    this.peopleRows = db.prepare(`SELECT id, name, role FROM office_people ORDER BY name`)
    this.sessionRows = db.prepare(
      `SELECT id, person_id, device, created_at, last_seen_at FROM office_sessions
       WHERE revoked_at IS NULL ORDER BY created_at`,
    )
    this.invitationRows = db.prepare(
      `SELECT p.name, p.role, pc.expires_at FROM office_pairing_codes pc
       JOIN office_people p ON p.id = pc.person_id WHERE pc.expires_at > ? ORDER BY pc.expires_at`,
    )
  }

  /** Adds a pairing code for a person (made, or given the role, if needed). */
  addCode(code: string, name: string, role: Role, expiresAt: number, now: number): void {
    this.db.transaction(() => {
      const person = this.personByName.get(name) as { id: number; role: Role } | undefined
      const personId = person ? person.id : Number(this.insertPerson.run(name, role, now).lastInsertRowid)
      if (person && person.role !== role) this.setRole.run(role, personId)
      this.insertCode.run(code, personId, expiresAt, now)
    })()
  }

  /** Codes not yet expired (expired ones are removed on the way). */
  pendingCodesAt(now: number): { code: string; person: string; role: Role; person_id: number }[] {
    this.deleteExpired.run(now)
    return this.pendingCodes.all(now) as { code: string; person: string; role: Role; person_id: number }[]
  }

  /** Uses a code up and opens a session for its person, in one transaction: a code opens one session. */
  redeem(code: string, personId: number, tokenHash: string, device: string, now: number): number | null {
    return this.db.transaction(() => {
      if (this.deleteCode.run(code).changes !== 1) return null
      return Number(this.insertSession.run(tokenHash, personId, device, now, now).lastInsertRowid)
    })()
  }

  session(tokenHash: string): SessionRow | undefined {
    return this.sessionByHash.get(tokenHash) as SessionRow | undefined
  }

  seen(sessionId: number, now: number): void {
    this.touchSession.run(now, sessionId)
  }

  isActive(sessionId: number): boolean {
    return this.activeById.get(sessionId) !== undefined
  }

  /** False if there is no such session. */
  revoke(sessionId: number, now: number): boolean {
    if (!this.sessionById.get(sessionId)) return false
    this.revokeSession.run(now, sessionId)
    return true
  }

  people(now: number): OfficePeopleView {
    return peopleView(
      this.peopleRows.all() as PersonRow[],
      this.sessionRows.all() as SessionListRow[],
      this.invitationRows.all(now) as InvitationRow[],
    )
  }
}

export interface PersonRow {
  id: number
  name: string
  role: Role
}
export interface SessionListRow {
  id: number
  person_id: number
  device: string
  created_at: number
  last_seen_at: number | null
}
export interface InvitationRow {
  name: string
  role: Role
  expires_at: number
}

/** The People panel's view from the three lists' rows (both libraries). */
export function peopleView(
  people: PersonRow[],
  sessions: SessionListRow[],
  invitations: InvitationRow[],
): OfficePeopleView {
  return {
    people: people.map(
      (row): OfficePerson => ({
        name: row.name,
        role: row.role,
        sessions: sessions
          .filter((session) => session.person_id === row.id)
          .map((session) => ({
            id: session.id,
            device: session.device,
            createdAt: session.created_at,
            lastSeenAt: session.last_seen_at,
          })),
      }),
    ),
    invitations: invitations.map((row) => ({ name: row.name, role: row.role, expiresAt: row.expires_at })),
  }
}

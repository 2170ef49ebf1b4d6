import { createHash, randomBytes } from 'node:crypto'
import type { Caller, Role } from '../../shared/access'
import { notice } from '../../shared/notice'
import type { OfficeInviteResult, OfficePeopleView } from '../../shared/types'
import { NotFoundError, UserFacingError } from '../errors'
import type { Repository } from '../store/library'
import type { OfficeAccessRepository } from '../store/office-access'
import { deskProof, newPairingCode, normalizeCode, PAIRING_MINUTES, sameProof, serverProof } from './pairing'

/**
 * Wrong pairing attempts allowed per minute from one address (codes cannot be guessed online at this rate,
 * and one noisy computer cannot keep the rest of the office from pairing).
 */
const FAILED_PAIRINGS_PER_MINUTE = 10
/** A session's "last seen" is written at most this often (a playing recording makes many requests). */
const SEEN_EVERY_MS = 60_000
/** A computer not seen for this long is signed out (a lost or retired laptop does not stay a key). */
export const SESSION_IDLE_DAYS = 90

export interface Paired {
  token: string
  sessionId: number
  person: string
  role: Role
  serverProof: string
}

export interface Authenticated {
  sessionId: number
  caller: Caller
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/**
 * Who may use the office server (the server only): the admin invites people with a role and a pairing code;
 * a desk redeems the code for a session token (one per device); every request is authenticated by it; the
 * admin revokes sessions. `onRevoked` tells the transport to drop that session's connections at once.
 */
export class OfficeAccess {
  private readonly failures = new Map<string, number[]>()
  private readonly lastSeenWritten = new Map<number, number>()
  private readonly revokedListeners = new Set<(sessionId: number) => void>()

  constructor(
    private readonly repository: Repository<OfficeAccessRepository>,
    /** The server's certificate fingerprint ('' without TLS) and the address desks connect to. */
    private readonly server: { fingerprint: string; address: string },
    private readonly now: () => number = Date.now,
  ) {}

  async invite(name: string, role: Role): Promise<OfficeInviteResult> {
    const code = newPairingCode()
    const expiresAt = this.now() + PAIRING_MINUTES * 60_000
    await this.repository.addCode(normalizeCode(code), name, role, expiresAt, this.now())
    return { code, address: this.server.address, expiresAt, people: await this.people() }
  }

  /** Redeems a pairing code (given as the desk's proof of it) for a new session; `from`: the desk's address. */
  async pair(proof: string, device: string, from: string): Promise<Paired> {
    const now = this.now()
    const failures = (this.failures.get(from) ?? []).filter((at) => at > now - 60_000)
    this.failures.set(from, failures)
    if (failures.length >= FAILED_PAIRINGS_PER_MINUTE)
      throw new UserFacingError('forbidden', notice('office.too-many-attempts'))
    const match = (await this.repository.pendingCodesAt(now)).find((pending) =>
      sameProof(deskProof(pending.code, this.server.fingerprint), proof),
    )
    const token = randomBytes(32).toString('base64url')
    const sessionId =
      match && (await this.repository.redeem(match.code, match.person_id, hashToken(token), device, now))
    if (!match || !sessionId) {
      failures.push(now)
      throw new UserFacingError('forbidden', notice('office.code-invalid', { minutes: PAIRING_MINUTES }))
    }
    return {
      token,
      sessionId,
      person: match.person,
      role: match.role,
      serverProof: serverProof(match.code, this.server.fingerprint),
    }
  }

  /** The session a token opens, or null (unknown or revoked). */
  async authenticate(token: string): Promise<Authenticated | null> {
    const session = await this.repository.session(hashToken(token))
    if (!session) return null
    const now = this.now()
    if (session.lastSeenAt !== null && now - session.lastSeenAt > SESSION_IDLE_DAYS * 86_400_000) {
      await this.repository.revoke(session.id, now)
      return null
    }
    if (now - (this.lastSeenWritten.get(session.id) ?? 0) >= SEEN_EVERY_MS) {
      await this.repository.seen(session.id, now)
      this.lastSeenWritten.set(session.id, now)
    }
    return { sessionId: session.id, caller: { person: session.person, role: session.role } }
  }

  /** Whether a session is still open (checked on every request: a revocation from the CLI counts at once). */
  isActive(sessionId: number): Promise<boolean> {
    return this.repository.isActive(sessionId)
  }

  /** Whether any admin can sign in: a signed-in device or a code not yet used. */
  async hasAdmin(): Promise<boolean> {
    const { people, invitations } = await this.people()
    return (
      people.some((person) => person.role === 'admin' && person.sessions.length > 0) ||
      invitations.some((invitation) => invitation.role === 'admin')
    )
  }

  async revoke(sessionId: number): Promise<OfficePeopleView> {
    if (!(await this.repository.revoke(sessionId, this.now())))
      throw new NotFoundError(notice('not-found.session'))
    for (const listener of this.revokedListeners) listener(sessionId)
    return this.people()
  }

  people(): Promise<OfficePeopleView> {
    return this.repository.people(this.now())
  }

  onRevoked(listener: (sessionId: number) => void): () => void {
    this.revokedListeners.add(listener)
    return () => this.revokedListeners.delete(listener)
  }
}

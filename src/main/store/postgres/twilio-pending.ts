import { toPendingItem, type PendingItem, type PendingKind, type PendingRow } from '../twilio-pending'
import type { Sql } from './connection'

/** What Twilio has not finished (PostgreSQL): the twin of TwilioPendingRepository. */
export class PgTwilioPendingRepository {
  constructor(private readonly db: Sql) {}

  async add(kind: PendingKind, sid: string, now: number, firstCheckAt: number): Promise<void> {
    // Seen again while still pending: keep its schedule (a listing must not reset the backoff).
    await this.db.query(
      `INSERT INTO twilio_pending (kind, sid, first_seen_at, next_check_at, checks) VALUES ($1, $2, $3, $4, 0)
       ON CONFLICT (kind, sid) DO NOTHING`,
      [kind, sid, now, firstCheckAt],
    )
  }

  async dueAt(now: number, limit = 200): Promise<PendingItem[]> {
    const { rows } = await this.db.query<PendingRow>(
      'SELECT * FROM twilio_pending WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2',
      [Number.isFinite(now) ? now : Number.MAX_SAFE_INTEGER, limit],
    )
    return rows.map(toPendingItem)
  }

  async nextCheckAt(): Promise<number | null> {
    const { rows } = await this.db.query<{ at: number | null }>(
      'SELECT MIN(next_check_at) AS at FROM twilio_pending',
    )
    return rows[0]?.at ?? null
  }

  async checkedAgain(kind: PendingKind, sid: string, nextCheckAt: number): Promise<void> {
    await this.db.query(
      'UPDATE twilio_pending SET next_check_at = $1, checks = checks + 1 WHERE kind = $2 AND sid = $3',
      [nextCheckAt, kind, sid],
    )
  }

  async done(kind: PendingKind, sid: string): Promise<void> {
    await this.db.query('DELETE FROM twilio_pending WHERE kind = $1 AND sid = $2', [kind, sid])
  }

  async clear(): Promise<void> {
    await this.db.query('DELETE FROM twilio_pending')
  }

  async size(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM twilio_pending')
    return rows[0]!.n
  }
}

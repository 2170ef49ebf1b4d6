import type { Db } from './database'

export type PendingKind = 'call' | 'recording'

export interface PendingItem {
  kind: PendingKind
  sid: string
  firstSeenAt: number
  nextCheckAt: number
  checks: number
}

export interface PendingRow {
  kind: PendingKind
  sid: string
  first_seen_at: number
  next_check_at: number
  checks: number
}

export const toPendingItem = (row: PendingRow): PendingItem => ({
  kind: row.kind,
  sid: row.sid,
  firstSeenAt: row.first_seen_at,
  nextCheckAt: row.next_check_at,
  checks: row.checks,
})

/** Calls and recordings Twilio has not finished, with when to ask about each again. */
export class TwilioPendingRepository {
  private readonly upsert
  private readonly due
  private readonly earliest
  private readonly remove
  private readonly count
  private readonly reschedule

  constructor(private readonly db: Db) {
    // Seen again while still pending: keep its schedule (a listing must not reset the backoff).
    this.upsert = db.prepare(
      `INSERT INTO twilio_pending (kind, sid, first_seen_at, next_check_at, checks) VALUES (?, ?, ?, ?, 0)
       ON CONFLICT (kind, sid) DO NOTHING`,
    )
    this.due = db.prepare(
      `SELECT * FROM twilio_pending WHERE next_check_at <= ? ORDER BY next_check_at LIMIT ?`,
    )
    this.earliest = db.prepare(`SELECT MIN(next_check_at) FROM twilio_pending`).pluck()
    this.remove = db.prepare(`DELETE FROM twilio_pending WHERE kind = ? AND sid = ?`)
    this.count = db.prepare(`SELECT count(*) FROM twilio_pending`).pluck()
    this.reschedule = db.prepare(
      `UPDATE twilio_pending SET next_check_at = ?, checks = checks + 1 WHERE kind = ? AND sid = ?`,
    )
  }

  add(kind: PendingKind, sid: string, now: number, firstCheckAt: number): void {
    this.upsert.run(kind, sid, now, firstCheckAt)
  }

  dueAt(now: number, limit = 200): PendingItem[] {
    return (this.due.all(now, limit) as PendingRow[]).map(toPendingItem)
  }

  nextCheckAt(): number | null {
    return (this.earliest.get() as number | null) ?? null
  }

  checkedAgain(kind: PendingKind, sid: string, nextCheckAt: number): void {
    this.reschedule.run(nextCheckAt, kind, sid)
  }

  done(kind: PendingKind, sid: string): void {
    this.remove.run(kind, sid)
  }

  clear(): void {
    this.db.prepare(`DELETE FROM twilio_pending`).run()
  }

  size(): number {
    return this.count.get() as number
  }
}

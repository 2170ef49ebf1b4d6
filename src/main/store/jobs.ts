import { decodeNotice } from '../../shared/notice'
import type { Statement } from 'better-sqlite3'
import type { JobKind, JobState, JobView } from '../../shared/types'
import type { Db } from './database'

export interface JobRow {
  id: number
  kind: JobKind
  subject: string
  state: JobState
  priority: number
  attempts: number
  max_attempts: number
  run_after: number
  depends_on: number | null
  lease_token: string | null
  lease_expires_at: number | null
  progress: number | null
  last_error: string | null
  payload: string | null
  updated_at: number
}

export interface NewJob {
  kind: JobKind
  subject: string
  state: JobState
  priority: number
  maxAttempts: number
  dependsOn: number | null
  payload: string | null
}

export function jobView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    state: row.state,
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    progress: row.progress,
    // A running job is trying again: the error of an earlier attempt would be stale.
    lastError: row.last_error === null || row.state === 'running' ? null : decodeNotice(row.last_error),
    runAfter: row.run_after,
    updatedAt: row.updated_at,
  }
}

const LEASE_CLEARED = `lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL`

/**
 * The jobs table: rows and the single-statement changes the queue makes to them. Which change to make,
 * and when, is the queue's policy (src/main/jobs/queue.ts); every statement here does one thing.
 */
export class JobsRepository {
  private readonly statements = new Map<string, Statement>()

  constructor(private readonly db: Db) {}

  get(id: number): JobRow | undefined {
    return this.sql(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined
  }

  find(kind: JobKind, subject: string): JobRow | undefined {
    return this.sql(`SELECT * FROM jobs WHERE kind = ? AND subject = ?`).get(kind, subject) as
      | JobRow
      | undefined
  }

  /** The newest 1000 jobs, optionally only in some states. */
  list(states?: JobState[]): JobRow[] {
    const where = states?.length ? `WHERE state IN (${states.map(() => '?').join(',')})` : ''
    return this.sql(`SELECT * FROM jobs ${where} ORDER BY updated_at DESC, id DESC LIMIT 1000`).all(
      ...(states ?? []),
    ) as JobRow[]
  }

  ofSubject(subject: string): JobRow[] {
    return this.sql(`SELECT * FROM jobs WHERE subject = ?`).all(subject) as JobRow[]
  }

  dependentsOf(id: number): JobRow[] {
    return this.sql(`SELECT * FROM jobs WHERE depends_on = ?`).all(id) as JobRow[]
  }

  /** The most urgent job of a kind that may run at `now`. */
  nextRunnable(kind: JobKind, now: number): JobRow | undefined {
    return this.sql(
      `SELECT * FROM jobs WHERE kind = ? AND state = 'queued' AND run_after <= ?
         ORDER BY priority DESC, run_after, id LIMIT 1`,
    ).get(kind, now) as JobRow | undefined
  }

  /** Queued jobs of a kind that wait for a later time. */
  waitingAfter(kind: JobKind, now: number): JobRow[] {
    return this.sql(`SELECT * FROM jobs WHERE kind = ? AND state = 'queued' AND run_after > ?`).all(
      kind,
      now,
    ) as JobRow[]
  }

  runningWithExpiredLease(now: number): JobRow[] {
    return this.sql(`SELECT * FROM jobs WHERE state = 'running' AND lease_expires_at < ?`).all(
      now,
    ) as JobRow[]
  }

  failedWithError(kind: JobKind, lastError: string): number[] {
    return this.sql(`SELECT id FROM jobs WHERE kind = ? AND state = 'failed' AND last_error = ?`)
      .pluck()
      .all(kind, lastError) as number[]
  }

  nextRunAt(kind: JobKind): number | null {
    const row = this.sql(`SELECT MIN(run_after) AS at FROM jobs WHERE kind = ? AND state = 'queued'`).get(
      kind,
    ) as { at: number | null }
    return row.at
  }

  insert(job: NewJob, now: number): number {
    return Number(
      this.sql(
        `INSERT INTO jobs (kind, subject, state, priority, max_attempts, run_after, depends_on, payload, created_at,
                           updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        job.kind,
        job.subject,
        job.state,
        job.priority,
        job.maxAttempts,
        now,
        job.dependsOn,
        job.payload,
        now,
        now,
      ).lastInsertRowid,
    )
  }

  /** Starts a job over: fresh attempts, no error or progress, runnable now (or blocked). */
  restart(id: number, state: JobState, now: number): void {
    this.sql(
      `UPDATE jobs SET state = ?, attempts = 0, run_after = ?, last_error = NULL, progress = NULL,
         finished_at = NULL, updated_at = ? WHERE id = ?`,
    ).run(state, now, now, id)
  }

  /** A repeated enqueue: priority only goes up; a new payload replaces the old. */
  requeued(
    id: number,
    change: { priority: number; dependsOn: number | null; payload: string | null },
    now: number,
  ) {
    this.sql(
      `UPDATE jobs SET priority = MAX(priority, ?), depends_on = ?, payload = COALESCE(?, payload), updated_at = ?
         WHERE id = ?`,
    ).run(change.priority, change.dependsOn, change.payload, now, id)
  }

  /** Raises an unfinished job's priority and pulls a backed-off retry forward; false if none matched. */
  raisePriority(kind: JobKind, subject: string, priority: number, now: number): boolean {
    return (
      this.sql(
        `UPDATE jobs SET priority = MAX(priority, ?), run_after = MIN(run_after, ?), updated_at = ?
           WHERE kind = ? AND subject = ? AND state IN ('queued', 'blocked', 'running')`,
      ).run(priority, now, now, kind, subject).changes > 0
    )
  }

  lease(id: number, lease: { owner: string; token: string; until: number }, now: number): void {
    this.sql(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_token = ?,
         lease_expires_at = ?, progress = NULL, updated_at = ? WHERE id = ?`,
    ).run(lease.owner, lease.token, lease.until, now, id)
  }

  /** False if the job is no longer running under this token. */
  extendLease(id: number, token: string, until: number): boolean {
    return (
      this.sql(
        `UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND state = 'running' AND lease_token = ?`,
      ).run(until, id, token).changes === 1
    )
  }

  setProgress(id: number, token: string, progress: number): void {
    this.sql(`UPDATE jobs SET progress = ? WHERE id = ? AND state = 'running' AND lease_token = ?`).run(
      progress,
      id,
      token,
    )
  }

  markDone(id: number, now: number): void {
    this.sql(
      `UPDATE jobs SET state = 'done', progress = 1, last_error = NULL, ${LEASE_CLEARED}, updated_at = ?,
         finished_at = ? WHERE id = ?`,
    ).run(now, now, id)
  }

  /** What waited for `id` may run now. */
  unblockDependents(id: number, now: number): void {
    this.sql(
      `UPDATE jobs SET state = 'queued', run_after = ?, updated_at = ? WHERE depends_on = ? AND state = 'blocked'`,
    ).run(now, now, id)
  }

  /** Back to the queue until `runAfter` without using up the attempt it was on. */
  defer(id: number, runAfter: number, message: string, now: number): void {
    this.sql(
      `UPDATE jobs SET state = 'queued', attempts = MAX(0, attempts - 1), run_after = ?, last_error = ?,
         ${LEASE_CLEARED}, updated_at = ? WHERE id = ?`,
    ).run(runAfter, message, now, id)
  }

  /** A failed attempt: queued again at `runAfter`, or failed for good (`finishedAt` set). */
  attemptFailed(
    id: number,
    outcome: { state: 'queued' | 'failed'; runAfter: number; message: string },
    now: number,
  ): void {
    this.sql(
      `UPDATE jobs SET state = ?, run_after = ?, last_error = ?, ${LEASE_CLEARED}, updated_at = ?, finished_at = ?
         WHERE id = ?`,
    ).run(outcome.state, outcome.runAfter, outcome.message, now, outcome.state === 'failed' ? now : null, id)
  }

  /** Gives a running job back uncounted; false if it was not running under this token. */
  release(id: number, token: string, now: number): boolean {
    return (
      this.sql(
        `UPDATE jobs SET state = 'queued', attempts = MAX(0, attempts - 1), ${LEASE_CLEARED}, run_after = ?,
           updated_at = ? WHERE id = ? AND state = 'running' AND lease_token = ?`,
      ).run(now, now, id, token).changes === 1
    )
  }

  /** Cancels a job that has not finished; false if it had. */
  cancelUnfinished(id: number, now: number): boolean {
    return (
      this.sql(
        `UPDATE jobs SET state = 'cancelled', ${LEASE_CLEARED}, updated_at = ?, finished_at = ?
           WHERE id = ? AND state IN ('blocked', 'queued', 'running')`,
      ).run(now, now, id).changes === 1
    )
  }

  /** Every queued job of a kind that waits for later may run now. */
  runWaitingNow(kind: JobKind, now: number): void {
    this.sql(
      `UPDATE jobs SET run_after = ?, updated_at = ? WHERE kind = ? AND state = 'queued' AND run_after > ?`,
    ).run(now, now, kind, now)
  }

  /** A lease that ran out (its process died): queued again, or failed for good with `message`. */
  reclaimLease(
    row: JobRow,
    outcome: { state: 'queued' | 'failed'; message: string | null },
    now: number,
  ): void {
    this.sql(
      `UPDATE jobs SET state = ?, ${LEASE_CLEARED}, run_after = ?, last_error = COALESCE(?, last_error),
         updated_at = ?, finished_at = ? WHERE id = ? AND lease_token = ?`,
    ).run(
      outcome.state,
      now,
      outcome.message,
      now,
      outcome.state === 'failed' ? now : null,
      row.id,
      row.lease_token,
    )
  }

  deleteOfSubject(subject: string): void {
    this.sql(`DELETE FROM jobs WHERE subject = ?`).run(subject)
  }

  /** Statements are prepared once per SQL text. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text)
    if (!statement) {
      statement = this.db.prepare(text)
      this.statements.set(text, statement)
    }
    return statement
  }
}

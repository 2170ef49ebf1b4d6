import type { JobKind, JobState } from '../../../shared/types'
import type { JobRow, NewJob } from '../jobs'
import type { Sql } from './connection'

const LEASE_CLEARED = 'lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL'

/**
 * The office library's job rows (PostgreSQL): the twin of src/main/store/jobs.ts, same statements. One
 * difference matters: several transactions run at once here, so taking the next runnable job locks its row
 * and skips rows another claim holds — two claims never take the same job.
 */
export class PgJobsRepository {
  constructor(private readonly db: Sql) {}

  async get(id: number): Promise<JobRow | undefined> {
    return (await this.db.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id])).rows[0]
  }

  async find(kind: JobKind, subject: string): Promise<JobRow | undefined> {
    return (
      await this.db.query<JobRow>('SELECT * FROM jobs WHERE kind = $1 AND subject = $2', [kind, subject])
    ).rows[0]
  }

  /** The newest 1000 jobs, optionally only in some states. */
  async list(states?: JobState[]): Promise<JobRow[]> {
    const where = states?.length ? 'WHERE state = ANY($1)' : ''
    return (
      await this.db.query<JobRow>(
        `SELECT * FROM jobs ${where} ORDER BY updated_at DESC, id DESC LIMIT 1000`,
        states?.length ? [states] : [],
      )
    ).rows
  }

  async ofSubject(subject: string): Promise<JobRow[]> {
    return (await this.db.query<JobRow>('SELECT * FROM jobs WHERE subject = $1', [subject])).rows
  }

  async dependentsOf(id: number): Promise<JobRow[]> {
    return (await this.db.query<JobRow>('SELECT * FROM jobs WHERE depends_on = $1', [id])).rows
  }

  /** The most urgent job of a kind that may run at `now`, locked for the caller's transaction. */
  async nextRunnable(kind: JobKind, now: number): Promise<JobRow | undefined> {
    const { rows } = await this.db.query<JobRow>(
      `SELECT * FROM jobs WHERE kind = $1 AND state = 'queued' AND run_after <= $2
         ORDER BY priority DESC, run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [kind, now],
    )
    return rows[0]
  }

  async waitingAfter(kind: JobKind, now: number): Promise<JobRow[]> {
    return (
      await this.db.query<JobRow>(
        `SELECT * FROM jobs WHERE kind = $1 AND state = 'queued' AND run_after > $2`,
        [kind, now],
      )
    ).rows
  }

  async runningWithExpiredLease(now: number): Promise<JobRow[]> {
    return (
      await this.db.query<JobRow>(`SELECT * FROM jobs WHERE state = 'running' AND lease_expires_at < $1`, [
        now,
      ])
    ).rows
  }

  async failedWithError(kind: JobKind, lastError: string): Promise<number[]> {
    const { rows } = await this.db.query<{ id: number }>(
      `SELECT id FROM jobs WHERE kind = $1 AND state = 'failed' AND last_error = $2`,
      [kind, lastError],
    )
    return rows.map((row) => row.id)
  }

  async nextRunAt(kind: JobKind): Promise<number | null> {
    const { rows } = await this.db.query<{ at: number | null }>(
      `SELECT MIN(run_after) AS at FROM jobs WHERE kind = $1 AND state = 'queued'`,
      [kind],
    )
    return rows[0]?.at ?? null
  }

  /** A new job's id; if another transaction added the same job meanwhile, that one's. */
  async insert(job: NewJob, now: number): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO jobs (kind, subject, state, priority, max_attempts, run_after, depends_on, payload,
                         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $6, $6)
       ON CONFLICT (kind, subject) DO UPDATE SET kind = excluded.kind RETURNING id`,
      [job.kind, job.subject, job.state, job.priority, job.maxAttempts, now, job.dependsOn, job.payload],
    )
    return rows[0]!.id
  }

  async restart(id: number, state: JobState, now: number): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = $1, attempts = 0, run_after = $2, last_error = NULL, progress = NULL,
         finished_at = NULL, updated_at = $2 WHERE id = $3`,
      [state, now, id],
    )
  }

  async requeued(
    id: number,
    change: { priority: number; dependsOn: number | null; payload: string | null },
    now: number,
  ): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET priority = GREATEST(priority, $1), depends_on = $2, payload = COALESCE($3, payload),
         updated_at = $4 WHERE id = $5`,
      [change.priority, change.dependsOn, change.payload, now, id],
    )
  }

  async raisePriority(kind: JobKind, subject: string, priority: number, now: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE jobs SET priority = GREATEST(priority, $1), run_after = LEAST(run_after, $2), updated_at = $2
         WHERE kind = $3 AND subject = $4 AND state IN ('queued', 'blocked', 'running')`,
      [priority, now, kind, subject],
    )
    return Boolean(rowCount)
  }

  async lease(
    id: number,
    lease: { owner: string; token: string; until: number },
    now: number,
  ): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = $1, lease_token = $2,
         lease_expires_at = $3, progress = NULL, updated_at = $4 WHERE id = $5`,
      [lease.owner, lease.token, lease.until, now, id],
    )
  }

  async extendLease(id: number, token: string, until: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE jobs SET lease_expires_at = $1 WHERE id = $2 AND state = 'running' AND lease_token = $3`,
      [until, id, token],
    )
    return rowCount === 1
  }

  async setProgress(id: number, token: string, progress: number): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET progress = $1 WHERE id = $2 AND state = 'running' AND lease_token = $3`,
      [progress, id, token],
    )
  }

  async markDone(id: number, now: number): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = 'done', progress = 1, last_error = NULL, ${LEASE_CLEARED}, updated_at = $1,
         finished_at = $1 WHERE id = $2`,
      [now, id],
    )
  }

  async unblockDependents(id: number, now: number): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = 'queued', run_after = $1, updated_at = $1 WHERE depends_on = $2 AND state = 'blocked'`,
      [now, id],
    )
  }

  async defer(id: number, runAfter: number, message: string, now: number): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = 'queued', attempts = GREATEST(0, attempts - 1), run_after = $1, last_error = $2,
         ${LEASE_CLEARED}, updated_at = $3 WHERE id = $4`,
      [runAfter, message, now, id],
    )
  }

  async attemptFailed(
    id: number,
    outcome: { state: 'queued' | 'failed'; runAfter: number; message: string },
    now: number,
  ): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = $1, run_after = $2, last_error = $3, ${LEASE_CLEARED}, updated_at = $4,
         finished_at = $5 WHERE id = $6`,
      [outcome.state, outcome.runAfter, outcome.message, now, outcome.state === 'failed' ? now : null, id],
    )
  }

  async release(id: number, token: string, now: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE jobs SET state = 'queued', attempts = GREATEST(0, attempts - 1), ${LEASE_CLEARED}, run_after = $1,
         updated_at = $1 WHERE id = $2 AND state = 'running' AND lease_token = $3`,
      [now, id, token],
    )
    return rowCount === 1
  }

  async cancelUnfinished(id: number, now: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE jobs SET state = 'cancelled', ${LEASE_CLEARED}, updated_at = $1, finished_at = $1
         WHERE id = $2 AND state IN ('blocked', 'queued', 'running')`,
      [now, id],
    )
    return rowCount === 1
  }

  async runWaitingNow(kind: JobKind, now: number): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET run_after = $1, updated_at = $1 WHERE kind = $2 AND state = 'queued' AND run_after > $1`,
      [now, kind],
    )
  }

  async reclaimLease(
    row: JobRow,
    outcome: { state: 'queued' | 'failed'; message: string | null },
    now: number,
  ): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = $1, ${LEASE_CLEARED}, run_after = $2, last_error = COALESCE($3, last_error),
         updated_at = $2, finished_at = $4 WHERE id = $5 AND lease_token = $6`,
      [outcome.state, now, outcome.message, outcome.state === 'failed' ? now : null, row.id, row.lease_token],
    )
  }

  async deleteOfSubject(subject: string): Promise<void> {
    await this.db.query('DELETE FROM jobs WHERE subject = $1', [subject])
  }
}

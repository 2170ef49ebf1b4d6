import { randomUUID } from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import type { Db } from '../store'
import { NotFoundError } from '../errors'
import type { JobKind, JobState, JobView } from '../../shared/types'

/** A user waiting on the result (pressed play) outranks background work. */
export const PRIORITY = { background: 0, user: 100 } as const

export interface EnqueueOptions {
  priority?: number
  /** The job waits (state `blocked`) until this one is done. */
  dependsOn?: number | null
  maxAttempts?: number
  payload?: unknown
  /** Run again even if it already finished or failed (e.g. re-summarize on demand). */
  force?: boolean
}

export interface ClaimedJob {
  id: number
  kind: JobKind
  subject: string
  attempts: number
  maxAttempts: number
  payload: unknown
  leaseToken: string
}

export interface FailureOptions {
  /** False for errors that no retry can fix (a corrupt file): the job fails at once. */
  retryable: boolean
  /** The server said when to come back (Retry-After): overrides the computed backoff. */
  retryAfterMs?: number
  /** Not a failure: the job cannot run yet (no model installed). It waits without using an attempt. */
  defer?: boolean
}

export interface QueueOptions {
  leaseMs: number
  backoffBaseMs: number
  backoffMaxMs: number
  defaultMaxAttempts: number
  now: () => number
  random: () => number
}

export type QueueEvent =
  | { type: 'changed'; job: JobView }
  | { type: 'progress'; job: Pick<JobView, 'id' | 'kind' | 'subject'>; progress: number }
  | { type: 'runnable' }

interface JobRow {
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
  progress: number | null
  last_error: string | null
  payload: string | null
  updated_at: number
}

const DEFAULTS: QueueOptions = {
  leaseMs: 30_000,
  backoffBaseMs: 2_000,
  backoffMaxMs: 10 * 60_000,
  defaultMaxAttempts: 5,
  now: Date.now,
  random: Math.random,
}

function toView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    state: row.state,
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    progress: row.progress,
    lastError: row.last_error,
    runAfter: row.run_after,
    updatedAt: row.updated_at,
  }
}

/**
 * The durable job queue: every state change of every job happens here, in SQLite, so a crash at any point
 * resumes from the database. Jobs are unique per (kind, subject); running jobs hold a lease that the
 * runner keeps alive with heartbeats and that start-up reclaims if the process died.
 */
export class JobQueue {
  private readonly options: QueueOptions
  private readonly listeners = new Set<(event: QueueEvent) => void>()
  private readonly lastProgress = new Map<number, number>()
  private readonly statements = new Map<string, Statement>()

  constructor(
    private readonly db: Db,
    options: Partial<QueueOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options }
  }

  subscribe(listener: (event: QueueEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get(id: number): JobView | null {
    const row = this.row(id)
    return row ? toView(row) : null
  }

  find(kind: JobKind, subject: string): JobView | null {
    const row = this.sql(`SELECT * FROM jobs WHERE kind = ? AND subject = ?`).get(kind, subject) as
      | JobRow
      | undefined
    return row ? toView(row) : null
  }

  list(states?: JobState[]): JobView[] {
    const rows = (
      states?.length
        ? this.sql(
            `SELECT * FROM jobs WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY updated_at DESC, id DESC LIMIT 1000`,
          ).all(...states)
        : this.sql(`SELECT * FROM jobs ORDER BY updated_at DESC, id DESC LIMIT 1000`).all()
    ) as JobRow[]
    return rows.map(toView)
  }

  /**
   * Adds a job, or returns the existing one for the same kind and subject. An existing job keeps its state
   * unless `force` asks to run it again; its priority only ever goes up.
   */
  enqueue(kind: JobKind, subject: string, options: EnqueueOptions = {}): JobView {
    const now = this.options.now()
    const priority = options.priority ?? PRIORITY.background
    const job = this.db.transaction((): JobRow => {
      const existing = this.sql(`SELECT * FROM jobs WHERE kind = ? AND subject = ?`).get(kind, subject) as
        | JobRow
        | undefined
      const dependsOn = options.dependsOn ?? existing?.depends_on ?? null
      const state = this.dependencyDone(dependsOn) ? 'queued' : 'blocked'
      if (!existing) {
        const id = this.sql(
          `INSERT INTO jobs (kind, subject, state, priority, max_attempts, run_after, depends_on, payload, created_at,
                               updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          kind,
          subject,
          state,
          priority,
          options.maxAttempts ?? this.options.defaultMaxAttempts,
          now,
          dependsOn,
          options.payload === undefined ? null : JSON.stringify(options.payload),
          now,
          now,
        ).lastInsertRowid
        return this.row(Number(id)) as JobRow
      }
      if (options.force && existing.state !== 'running' && existing.state !== 'queued') {
        this.sql(
          `UPDATE jobs SET state = ?, attempts = 0, run_after = ?, last_error = NULL, progress = NULL,
               finished_at = NULL WHERE id = ?`,
        ).run(state, now, existing.id)
      }
      this.sql(
        `UPDATE jobs SET priority = MAX(priority, ?), depends_on = ?, payload = COALESCE(?, payload), updated_at = ?
           WHERE id = ?`,
      ).run(
        priority,
        dependsOn,
        options.payload === undefined ? null : JSON.stringify(options.payload),
        now,
        existing.id,
      )
      return this.row(existing.id) as JobRow
    })()
    this.changed(job)
    return toView(job)
  }

  /** Raises a job's priority (a user is now waiting on it) and makes a backed-off retry run now. */
  prioritize(kind: JobKind, subject: string, priority: number = PRIORITY.user): JobView | null {
    const now = this.options.now()
    const result = this.sql(
      `UPDATE jobs SET priority = MAX(priority, ?), run_after = MIN(run_after, ?), updated_at = ?
         WHERE kind = ? AND subject = ? AND state IN ('queued', 'blocked', 'running')`,
    ).run(priority, now, now, kind, subject)
    const job = this.find(kind, subject)
    if (result.changes > 0 && job) {
      const row = this.row(job.id) as JobRow
      this.changed(row)
      if (row.depends_on !== null) {
        const dependency = this.row(row.depends_on)
        if (dependency) this.prioritize(dependency.kind, dependency.subject, priority)
      }
    }
    return job
  }

  /** Takes the most urgent runnable job of a kind and leases it to `owner`. */
  claim(kind: JobKind, owner: string): ClaimedJob | null {
    const now = this.options.now()
    const claimed = this.db.transaction((): JobRow | null => {
      const row = this.sql(
        `SELECT * FROM jobs WHERE kind = ? AND state = 'queued' AND run_after <= ?
           ORDER BY priority DESC, run_after, id LIMIT 1`,
      ).get(kind, now) as JobRow | undefined
      if (!row) return null
      const token = randomUUID()
      this.sql(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_token = ?,
             lease_expires_at = ?, progress = NULL, updated_at = ? WHERE id = ?`,
      ).run(owner, token, now + this.options.leaseMs, now, row.id)
      return this.row(row.id) as JobRow
    })()
    if (!claimed) return null
    this.changed(claimed)
    return {
      id: claimed.id,
      kind: claimed.kind,
      subject: claimed.subject,
      attempts: claimed.attempts,
      maxAttempts: claimed.max_attempts,
      payload: claimed.payload === null ? null : JSON.parse(claimed.payload),
      leaseToken: claimed.lease_token as string,
    }
  }

  /** Extends the lease; false means the job is no longer ours (cancelled, or the lease was reclaimed). */
  heartbeat(job: ClaimedJob): boolean {
    const now = this.options.now()
    return (
      this.sql(
        `UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND state = 'running' AND lease_token = ?`,
      ).run(now + this.options.leaseMs, job.id, job.leaseToken).changes === 1
    )
  }

  /** Records progress (0..1); writes and events are limited to whole-percent changes. */
  progress(job: ClaimedJob, fraction: number): void {
    const progress = Math.round(Math.min(1, Math.max(0, fraction)) * 100) / 100
    if (this.lastProgress.get(job.id) === progress) return
    this.lastProgress.set(job.id, progress)
    this.sql(`UPDATE jobs SET progress = ? WHERE id = ? AND state = 'running' AND lease_token = ?`).run(
      progress,
      job.id,
      job.leaseToken,
    )
    this.emit({ type: 'progress', job: { id: job.id, kind: job.kind, subject: job.subject }, progress })
  }

  /**
   * Marks the job done and runs `commit` (the job's result writes) in the same transaction, only if the
   * lease is still ours: a job whose lease was lost or that was cancelled commits nothing, so each job's
   * result is written exactly once.
   */
  complete(job: ClaimedJob, commit?: () => void): boolean {
    const now = this.options.now()
    const done = this.db.transaction((): boolean => {
      if (!this.holdsLease(job)) return false
      commit?.()
      this.sql(
        `UPDATE jobs SET state = 'done', progress = 1, last_error = NULL, lease_owner = NULL, lease_token = NULL,
             lease_expires_at = NULL, updated_at = ?, finished_at = ? WHERE id = ?`,
      ).run(now, now, job.id)
      this.sql(
        `UPDATE jobs SET state = 'queued', run_after = ?, updated_at = ? WHERE depends_on = ? AND state = 'blocked'`,
      ).run(now, now, job.id)
      return true
    })()
    this.lastProgress.delete(job.id)
    if (done) {
      this.changed(this.row(job.id) as JobRow)
      for (const dependent of this.dependentsOf(job.id)) this.changed(dependent)
    }
    return done
  }

  /** Records a failure: retried after an exponential, jittered delay until attempts run out. */
  fail(job: ClaimedJob, error: unknown, options: FailureOptions = { retryable: true }): JobView | null {
    const now = this.options.now()
    const message = describeError(error)
    const row = this.db.transaction((): JobRow | null => {
      if (!this.holdsLease(job)) return null
      const current = this.row(job.id) as JobRow
      if (options.defer) {
        this.sql(
          `UPDATE jobs SET state = 'queued', attempts = MAX(0, attempts - 1), run_after = ?, last_error = ?,
             lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ?`,
        ).run(now + (options.retryAfterMs ?? this.options.backoffMaxMs), message, now, job.id)
        return this.row(job.id) as JobRow
      }
      const retry = options.retryable && current.attempts < current.max_attempts
      const runAfter = retry
        ? now + (options.retryAfterMs ?? this.backoffMs(current.attempts))
        : current.run_after
      this.sql(
        `UPDATE jobs SET state = ?, run_after = ?, last_error = ?, lease_owner = NULL, lease_token = NULL,
             lease_expires_at = NULL, updated_at = ?, finished_at = ? WHERE id = ?`,
      ).run(retry ? 'queued' : 'failed', runAfter, message, now, retry ? null : now, job.id)
      return this.row(job.id) as JobRow
    })()
    this.lastProgress.delete(job.id)
    if (!row) return null
    this.changed(row)
    return toView(row)
  }

  /** Gives a job back without counting the attempt (the app is shutting down, not the job failing). */
  release(job: ClaimedJob): void {
    const now = this.options.now()
    const released = this.sql(
      `UPDATE jobs SET state = 'queued', attempts = MAX(0, attempts - 1), lease_owner = NULL, lease_token = NULL,
           lease_expires_at = NULL, run_after = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_token = ?`,
    ).run(now, now, job.id, job.leaseToken).changes
    if (released) this.changed(this.row(job.id) as JobRow)
  }

  /** Retries every failed job of a kind that failed with exactly this error (its cause has gone). */
  retryFailed(kind: JobKind, lastError: string): number {
    const ids = this.sql(`SELECT id FROM jobs WHERE kind = ? AND state = 'failed' AND last_error = ?`)
      .pluck()
      .all(kind, lastError) as number[]
    for (const id of ids) this.retry(id)
    return ids.length
  }

  /** A user's retry: a failed or cancelled job starts over with a fresh set of attempts. */
  retry(id: number): JobView {
    const now = this.options.now()
    const row = this.row(id)
    if (!row) throw new JobNotFoundError(id)
    if (row.state === 'failed' || row.state === 'cancelled' || row.state === 'queued') {
      const state = this.dependencyDone(row.depends_on) ? 'queued' : 'blocked'
      this.sql(
        `UPDATE jobs SET state = ?, attempts = 0, run_after = ?, last_error = NULL, progress = NULL,
             finished_at = NULL, updated_at = ? WHERE id = ?`,
      ).run(state, now, now, id)
      if (state === 'blocked' && row.depends_on !== null) {
        const dependency = this.row(row.depends_on)
        if (dependency && (dependency.state === 'failed' || dependency.state === 'cancelled'))
          this.retry(dependency.id)
      }
    }
    const updated = this.row(id) as JobRow
    this.changed(updated)
    return toView(updated)
  }

  /** Cancels a job that has not finished, and everything waiting on it. */
  cancel(id: number): JobView {
    const now = this.options.now()
    const row = this.row(id)
    if (!row) throw new JobNotFoundError(id)
    const cancelled: number[] = []
    this.db.transaction(() => {
      const pending = [id]
      while (pending.length) {
        const next = pending.pop() as number
        const changes = this.sql(
          `UPDATE jobs SET state = 'cancelled', lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
               updated_at = ?, finished_at = ? WHERE id = ? AND state IN ('blocked', 'queued', 'running')`,
        ).run(now, now, next).changes
        if (changes) cancelled.push(next)
        pending.push(...this.dependentsOf(next).map((job) => job.id))
      }
    })()
    for (const jobId of cancelled) this.changed(this.row(jobId) as JobRow)
    return toView(this.row(id) as JobRow)
  }

  /** Makes every waiting job of a kind runnable now (what it waited for, e.g. a model, has arrived). */
  wake(kind: JobKind): void {
    const now = this.options.now()
    const woken = this.sql(`SELECT * FROM jobs WHERE kind = ? AND state = 'queued' AND run_after > ?`).all(
      kind,
      now,
    ) as JobRow[]
    if (woken.length === 0) return
    this.sql(
      `UPDATE jobs SET run_after = ?, updated_at = ? WHERE kind = ? AND state = 'queued' AND run_after > ?`,
    ).run(now, now, kind, now)
    for (const row of woken) this.changed(this.row(row.id) as JobRow)
  }

  /** Forgets every job about a subject that no longer exists (e.g. the demo's recordings). */
  discard(subject: string): void {
    for (const row of this.sql(`SELECT * FROM jobs WHERE subject = ?`).all(subject) as JobRow[])
      this.cancel(row.id)
    this.sql(`DELETE FROM jobs WHERE subject = ?`).run(subject)
  }

  /** Puts jobs whose lease ran out (their process died) back in the queue; returns how many. */
  recoverExpiredLeases(): number {
    const now = this.options.now()
    const expired = this.sql(`SELECT * FROM jobs WHERE state = 'running' AND lease_expires_at < ?`).all(
      now,
    ) as JobRow[]
    for (const row of expired) {
      // The interrupted run counted as an attempt, so a job that crashes the app cannot loop forever.
      const exhausted = row.attempts >= row.max_attempts
      this.sql(
        `UPDATE jobs SET state = ?, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, run_after = ?,
             last_error = COALESCE(?, last_error), updated_at = ?, finished_at = ? WHERE id = ? AND lease_token = ?`,
      ).run(
        exhausted ? 'failed' : 'queued',
        now,
        exhausted ? `Interrupted ${row.attempts} times; giving up` : null,
        now,
        exhausted ? now : null,
        row.id,
        row.lease_token,
      )
      this.changed(this.row(row.id) as JobRow)
    }
    return expired.length
  }

  /** When the next queued job of a kind becomes runnable (null if none is waiting). */
  nextRunAt(kind: JobKind): number | null {
    const row = this.sql(`SELECT MIN(run_after) AS at FROM jobs WHERE kind = ? AND state = 'queued'`).get(
      kind,
    ) as { at: number | null }
    return row.at
  }

  backoffMs(attempts: number): number {
    const ceiling = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** Math.max(0, attempts - 1),
    )
    // Jitter in [50%, 100%] of the ceiling spreads retries without ever retrying immediately.
    return Math.round(ceiling * (0.5 + this.options.random() * 0.5))
  }

  private holdsLease(job: ClaimedJob): boolean {
    const row = this.row(job.id)
    return row?.state === 'running' && row.lease_token === job.leaseToken
  }

  private dependencyDone(dependsOn: number | null): boolean {
    if (dependsOn === null) return true
    return this.row(dependsOn)?.state === 'done'
  }

  private dependentsOf(id: number): JobRow[] {
    return this.sql(`SELECT * FROM jobs WHERE depends_on = ?`).all(id) as JobRow[]
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

  private row(id: number): JobRow | undefined {
    return this.sql(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined
  }

  private changed(row: JobRow): void {
    this.emit({ type: 'changed', job: toView(row) })
    if (row.state === 'queued') this.emit({ type: 'runnable' })
  }

  private emit(event: QueueEvent): void {
    for (const listener of this.listeners) listener(event)
  }
}

export class JobNotFoundError extends NotFoundError {
  constructor(id: number) {
    super(`No job with id ${id}`)
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return String(error)
}

import { encodeNotice, notice, noticeOf, type Notice } from '../../shared/notice'
import { randomUUID } from 'node:crypto'
import { jobView, type JobRow, type JobsRepository } from '../store/jobs'
import type { Library, Repository } from '../store/library'
import type { JobPayload } from './payloads'
import { NotFoundError } from '../errors'
import type { JobKind, JobState, JobView } from '../../shared/types'

/** A user waiting on the result (pressed play) outranks background work. */
export const PRIORITY = { background: 0, user: 100 } as const

export interface EnqueueOptions<K extends JobKind = JobKind> {
  priority?: number
  /** The job waits (state `blocked`) until this one is done. */
  dependsOn?: number | null
  maxAttempts?: number
  payload?: JobPayload<K>
  /** Run again even if it already finished or failed (e.g. re-summarize on demand). */
  force?: boolean
}

/** A job's result writes: they run in the transaction that marks it done (see `JobQueue.complete`). */
export type JobCommit = () => Promise<void>

/** A job this process holds the lease of: what the queue needs to record its outcome. */
export interface LeasedJob<K extends JobKind = JobKind> {
  id: number
  kind: K
  subject: string
  attempts: number
  maxAttempts: number
  leaseToken: string
}

/** A leased job as the queue stored it; the runner parses `payload` by kind (see ./payloads). */
export interface ClaimedRow extends LeasedJob {
  payload: unknown
}

/** A leased job whose payload has been checked against its kind's schema. */
export interface ClaimedJob<K extends JobKind = JobKind> extends LeasedJob<K> {
  payload: JobPayload<K>
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

const DEFAULTS: QueueOptions = {
  leaseMs: 30_000,
  backoffBaseMs: 2_000,
  backoffMaxMs: 10 * 60_000,
  defaultMaxAttempts: 5,
  now: Date.now,
  random: Math.random,
}

/**
 * The durable job queue: every state change of every job is a write to the store, so a crash at any point
 * resumes from the database. Jobs are unique per (kind, subject); running jobs hold a lease that the
 * runner keeps alive with heartbeats and that start-up reclaims if the process died. This class decides
 * (backoff, attempts, dependencies, who may commit); `library.jobs` holds the rows.
 */
export class JobQueue {
  private readonly options: QueueOptions
  private readonly jobs: Repository<JobsRepository>
  private readonly listeners = new Set<(event: QueueEvent) => void>()
  private readonly lastProgress = new Map<number, number>()

  constructor(
    private readonly library: Library,
    options: Partial<QueueOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options }
    this.jobs = library.jobs
  }

  /** How long a lease lasts without a heartbeat. */
  get leaseMs(): number {
    return this.options.leaseMs
  }

  subscribe(listener: (event: QueueEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async get(id: number): Promise<JobView | null> {
    const row = await this.jobs.get(id)
    return row ? jobView(row) : null
  }

  async find(kind: JobKind, subject: string): Promise<JobView | null> {
    const row = await this.jobs.find(kind, subject)
    return row ? jobView(row) : null
  }

  async list(states?: JobState[]): Promise<JobView[]> {
    return (await this.jobs.list(states)).map(jobView)
  }

  /**
   * Adds a job, or returns the existing one for the same kind and subject. An existing job keeps its state
   * unless `force` asks to run it again; its priority only ever goes up.
   */
  async enqueue<K extends JobKind>(
    kind: K,
    subject: string,
    options: EnqueueOptions<K> = {},
  ): Promise<JobView> {
    const now = this.options.now()
    const priority = options.priority ?? PRIORITY.background
    const payload = options.payload === undefined ? null : JSON.stringify(options.payload)
    const job = await this.library.transaction(async (): Promise<JobRow> => {
      const existing = await this.jobs.find(kind, subject)
      const dependsOn = options.dependsOn ?? existing?.depends_on ?? null
      const state = (await this.dependencyDone(dependsOn)) ? 'queued' : 'blocked'
      if (!existing) {
        const maxAttempts = options.maxAttempts ?? this.options.defaultMaxAttempts
        const id = await this.jobs.insert(
          { kind, subject, state, priority, maxAttempts, dependsOn, payload },
          now,
        )
        return this.row(id)
      }
      if (options.force && existing.state !== 'running' && existing.state !== 'queued')
        await this.jobs.restart(existing.id, state, now)
      await this.jobs.requeued(existing.id, { priority, dependsOn, payload }, now)
      return this.row(existing.id)
    })
    this.changed(job)
    return jobView(job)
  }

  /** Raises a job's priority (a user is now waiting on it) and makes a backed-off retry run now. */
  async prioritize(
    kind: JobKind,
    subject: string,
    priority: number = PRIORITY.user,
  ): Promise<JobView | null> {
    const raised = await this.jobs.raisePriority(kind, subject, priority, this.options.now())
    const row = await this.jobs.find(kind, subject)
    if (raised && row) {
      this.changed(row)
      if (row.depends_on !== null) {
        const dependency = await this.jobs.get(row.depends_on)
        if (dependency) await this.prioritize(dependency.kind, dependency.subject, priority)
      }
    }
    return row ? jobView(row) : null
  }

  /** Takes the most urgent runnable job of a kind and leases it to `owner`. */
  async claim(kind: JobKind, owner: string): Promise<ClaimedRow | null> {
    const now = this.options.now()
    const claimed = await this.library.transaction(async (): Promise<JobRow | null> => {
      const row = await this.jobs.nextRunnable(kind, now)
      if (!row) return null
      await this.jobs.lease(row.id, { owner, token: randomUUID(), until: now + this.options.leaseMs }, now)
      return this.row(row.id)
    })
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

  /**
   * A job leased elsewhere (a desk of the office), by the token it was handed: null if that lease no
   * longer holds (it expired, or the job was cancelled).
   */
  async leased(id: number, leaseToken: string): Promise<LeasedJob | null> {
    const row = await this.jobs.get(id)
    if (!row || row.state !== 'running' || row.lease_token !== leaseToken) return null
    return {
      id: row.id,
      kind: row.kind,
      subject: row.subject,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      leaseToken,
    }
  }

  /** Extends the lease; false means the job is no longer ours (cancelled, or the lease was reclaimed). */
  heartbeat(job: LeasedJob): Promise<boolean> {
    return this.jobs.extendLease(job.id, job.leaseToken, this.options.now() + this.options.leaseMs)
  }

  /** Records progress (0..1); writes and events are limited to whole-percent changes. */
  async progress(job: LeasedJob, fraction: number): Promise<void> {
    const progress = Math.round(Math.min(1, Math.max(0, fraction)) * 100) / 100
    if (this.lastProgress.get(job.id) === progress) return
    this.lastProgress.set(job.id, progress)
    await this.jobs.setProgress(job.id, job.leaseToken, progress)
    this.emit({ type: 'progress', job: { id: job.id, kind: job.kind, subject: job.subject }, progress })
  }

  /**
   * Marks the job done and runs `commit` (the job's result writes) in the same transaction, only if the
   * lease is still ours: a job whose lease was lost or that was cancelled commits nothing, so each job's
   * result is written exactly once.
   */
  async complete(job: LeasedJob, commit?: JobCommit): Promise<boolean> {
    const now = this.options.now()
    const done = await this.library.transaction(async (): Promise<boolean> => {
      if (!(await this.holdsLease(job))) return false
      await commit?.()
      await this.jobs.markDone(job.id, now)
      await this.jobs.unblockDependents(job.id, now)
      return true
    })
    this.lastProgress.delete(job.id)
    if (done) {
      this.changed(await this.row(job.id))
      for (const dependent of await this.jobs.dependentsOf(job.id)) this.changed(dependent)
    }
    return done
  }

  /** Records a failure: retried after an exponential, jittered delay until attempts run out. */
  async fail(
    job: LeasedJob,
    error: unknown,
    options: FailureOptions = { retryable: true },
  ): Promise<JobView | null> {
    const now = this.options.now()
    const message = encodeNotice(noticeOf(error))
    const row = await this.library.transaction(async (): Promise<JobRow | null> => {
      if (!(await this.holdsLease(job))) return null
      const current = await this.row(job.id)
      if (options.defer) {
        await this.jobs.defer(job.id, now + (options.retryAfterMs ?? this.options.backoffMaxMs), message, now)
      } else {
        const retry = options.retryable && current.attempts < current.max_attempts
        await this.jobs.attemptFailed(
          job.id,
          retry
            ? {
                state: 'queued',
                runAfter: now + (options.retryAfterMs ?? this.backoffMs(current.attempts)),
                message,
              }
            : { state: 'failed', runAfter: current.run_after, message },
          now,
        )
      }
      return this.row(job.id)
    })
    this.lastProgress.delete(job.id)
    if (!row) return null
    this.changed(row)
    return jobView(row)
  }

  /** Gives a job back without counting the attempt (the app is shutting down, not the job failing). */
  async release(job: LeasedJob): Promise<void> {
    if (await this.jobs.release(job.id, job.leaseToken, this.options.now()))
      this.changed(await this.row(job.id))
  }

  /** Retries every failed job of a kind that failed with exactly this error (its cause has gone). */
  async retryFailed(kind: JobKind, lastError: Notice): Promise<number> {
    const ids = await this.jobs.failedWithError(kind, encodeNotice(lastError))
    for (const id of ids) await this.retry(id)
    return ids.length
  }

  /** A user's retry: a failed or cancelled job starts over with a fresh set of attempts. */
  async retry(id: number): Promise<JobView> {
    const row = await this.jobs.get(id)
    if (!row) throw new JobNotFoundError(id)
    if (row.state === 'failed' || row.state === 'cancelled' || row.state === 'queued') {
      const state = (await this.dependencyDone(row.depends_on)) ? 'queued' : 'blocked'
      await this.jobs.restart(id, state, this.options.now())
      if (state === 'blocked' && row.depends_on !== null) {
        const dependency = await this.jobs.get(row.depends_on)
        if (dependency && (dependency.state === 'failed' || dependency.state === 'cancelled'))
          await this.retry(dependency.id)
      }
    }
    const updated = await this.row(id)
    this.changed(updated)
    return jobView(updated)
  }

  /** Cancels a job that has not finished, and everything waiting on it. */
  async cancel(id: number): Promise<JobView> {
    const now = this.options.now()
    if (!(await this.jobs.get(id))) throw new JobNotFoundError(id)
    const cancelled: number[] = []
    await this.library.transaction(async () => {
      const pending = [id]
      while (pending.length) {
        const next = pending.pop() as number
        if (await this.jobs.cancelUnfinished(next, now)) cancelled.push(next)
        pending.push(...(await this.jobs.dependentsOf(next)).map((job) => job.id))
      }
    })
    for (const jobId of cancelled) this.changed(await this.row(jobId))
    return jobView(await this.row(id))
  }

  /** Makes every waiting job of a kind runnable now (what it waited for, e.g. a model, has arrived). */
  async wake(kind: JobKind): Promise<void> {
    const now = this.options.now()
    const woken = await this.jobs.waitingAfter(kind, now)
    if (woken.length === 0) return
    await this.jobs.runWaitingNow(kind, now)
    for (const row of woken) this.changed(await this.row(row.id))
  }

  /** Forgets every job about a subject that no longer exists (e.g. the demo's recordings). */
  async discard(subject: string): Promise<void> {
    for (const row of await this.jobs.ofSubject(subject)) await this.cancel(row.id)
    await this.jobs.deleteOfSubject(subject)
  }

  /** Puts jobs whose lease ran out (their process died) back in the queue; returns how many. */
  async recoverExpiredLeases(): Promise<number> {
    const now = this.options.now()
    const expired = await this.jobs.runningWithExpiredLease(now)
    for (const row of expired) {
      // The interrupted run counted as an attempt, so a job that crashes the app cannot loop forever.
      const exhausted = row.attempts >= row.max_attempts
      await this.jobs.reclaimLease(
        row,
        exhausted
          ? { state: 'failed', message: encodeNotice(notice('job.interrupted', { times: row.attempts })) }
          : { state: 'queued', message: null },
        now,
      )
      this.changed(await this.row(row.id))
    }
    return expired.length
  }

  /** When the next queued job of a kind becomes runnable (null if none is waiting). */
  nextRunAt(kind: JobKind): Promise<number | null> {
    return this.jobs.nextRunAt(kind)
  }

  backoffMs(attempts: number): number {
    const ceiling = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** Math.max(0, attempts - 1),
    )
    // Jitter in [50%, 100%] of the ceiling spreads retries without ever retrying immediately.
    return Math.round(ceiling * (0.5 + this.options.random() * 0.5))
  }

  private async holdsLease(job: LeasedJob): Promise<boolean> {
    const row = await this.jobs.get(job.id)
    return row?.state === 'running' && row.lease_token === job.leaseToken
  }

  private async dependencyDone(dependsOn: number | null): Promise<boolean> {
    if (dependsOn === null) return true
    return (await this.jobs.get(dependsOn))?.state === 'done'
  }

  /** A job that must exist (it was just written in this process). */
  private async row(id: number): Promise<JobRow> {
    const row = await this.jobs.get(id)
    if (!row) throw new JobNotFoundError(id)
    return row
  }

  private changed(row: JobRow): void {
    this.emit({ type: 'changed', job: jobView(row) })
    if (row.state === 'queued') this.emit({ type: 'runnable' })
  }

  /** Listeners start work of their own (the runner claims, windows are told): never inside a transaction. */
  private emit(event: QueueEvent): void {
    this.library.detached(() => {
      for (const listener of this.listeners) listener(event)
    })
  }
}

export class JobNotFoundError extends NotFoundError {
  constructor(id: number) {
    super(notice('not-found.job', { id }))
  }
}

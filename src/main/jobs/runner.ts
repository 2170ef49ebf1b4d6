import { randomUUID } from 'node:crypto'
import type { JobKind } from '../../shared/types'
import { type ClaimedJob, type FailureOptions, type JobQueue } from './queue'

export interface JobContext {
  signal: AbortSignal
  progress(fraction: number): void
}

/**
 * Does a job's slow work and returns the writes that record its result. Those run in the same
 * transaction that marks the job done, so a result is stored exactly once even across crashes.
 */
export type JobHandler = (job: ClaimedJob, context: JobContext) => Promise<(() => void) | void>

/** Throw to control how a failure is retried; any other error is retried with backoff. */
export class JobError extends Error {
  constructor(
    message: string,
    readonly failure: FailureOptions,
  ) {
    super(message)
    this.name = 'JobError'
  }
}

export interface RunnerOptions {
  concurrency: Partial<Record<JobKind, number>>
  /** Longest sleep between looks at the queue (also how often expired leases are reclaimed). */
  idleCheckMs: number
  heartbeatMs: number
}

const DEFAULTS: RunnerOptions = {
  concurrency: { download: 3, transcribe: 1, summarize: 2 },
  idleCheckMs: 15_000,
  heartbeatMs: 10_000,
}

/** Runs queued jobs with per-kind concurrency, heartbeats their leases and honours cancel. */
export class JobRunner {
  readonly owner = `runner-${process.pid}-${randomUUID().slice(0, 8)}`
  private readonly options: RunnerOptions
  private readonly active = new Map<
    number,
    { controller: AbortController; done: Promise<void>; job: ClaimedJob }
  >()
  private timer: NodeJS.Timeout | undefined
  private stopping = false
  private started = false
  private unsubscribe: (() => void) | undefined

  constructor(
    private readonly queue: JobQueue,
    private readonly handlers: Partial<Record<JobKind, JobHandler>>,
    options: Partial<RunnerOptions> = {},
  ) {
    this.options = {
      ...DEFAULTS,
      ...options,
      concurrency: { ...DEFAULTS.concurrency, ...options.concurrency },
    }
  }

  start(): void {
    if (this.started) return
    this.started = true
    this.queue.recoverExpiredLeases()
    this.unsubscribe = this.queue.subscribe((event) => {
      if (event.type === 'runnable') queueMicrotask(() => this.pump())
      if (event.type === 'changed' && event.job.state === 'cancelled')
        this.active.get(event.job.id)?.controller.abort()
    })
    this.pump()
  }

  /** Stops taking work, aborts what runs and gives it back to the queue (it resumes on next start). */
  async stop(): Promise<void> {
    this.stopping = true
    this.unsubscribe?.()
    clearTimeout(this.timer)
    for (const { controller } of this.active.values()) controller.abort(new Error('shutting down'))
    await Promise.all([...this.active.values()].map((entry) => entry.done))
  }

  get runningCount(): number {
    return this.active.size
  }

  isRunning(kind: JobKind): boolean {
    return [...this.active.values()].some((entry) => entry.job.kind === kind)
  }

  private pump(): void {
    if (this.stopping || !this.started) return
    clearTimeout(this.timer)
    for (const [kind, handler] of Object.entries(this.handlers) as [JobKind, JobHandler][]) {
      const limit = this.options.concurrency[kind] ?? 1
      while (this.countOf(kind) < limit) {
        const job = this.queue.claim(kind, this.owner)
        if (!job) break
        this.run(job, handler)
      }
    }
    this.scheduleNextLook()
  }

  private scheduleNextLook(): void {
    const now = Date.now()
    const waits = (Object.keys(this.handlers) as JobKind[])
      .map((kind) => this.queue.nextRunAt(kind))
      .filter((at): at is number => at !== null)
      .map((at) => Math.max(0, at - now))
    const delay = Math.min(this.options.idleCheckMs, ...waits)
    this.timer = setTimeout(() => {
      this.queue.recoverExpiredLeases()
      this.pump()
    }, delay + 5)
    this.timer.unref?.()
  }

  private countOf(kind: JobKind): number {
    let count = 0
    for (const entry of this.active.values()) if (entry.job.kind === kind) count++
    return count
  }

  private run(job: ClaimedJob, handler: JobHandler): void {
    const controller = new AbortController()
    const heartbeat = setInterval(() => {
      if (!this.queue.heartbeat(job)) controller.abort(new Error('lease lost'))
    }, this.options.heartbeatMs)
    heartbeat.unref?.()
    const context: JobContext = {
      signal: controller.signal,
      progress: (fraction) => {
        if (!controller.signal.aborted) this.queue.progress(job, fraction)
      },
    }
    const entry = { controller, job, done: Promise.resolve() }
    this.active.set(job.id, entry)
    entry.done = (async () => {
      await null // the entry is registered before any handler code runs
      try {
        const commit = await handler(job, context)
        if (controller.signal.aborted) throw controller.signal.reason
        this.queue.complete(job, commit ?? undefined)
      } catch (error) {
        if (this.stopping) this.queue.release(job)
        else if (!controller.signal.aborted) this.queue.fail(job, error, failureOf(error))
        // Aborted by cancel or a lost lease: the queue already holds the job's true state.
      } finally {
        clearInterval(heartbeat)
        this.active.delete(job.id)
        if (!this.stopping) this.pump()
      }
    })()
  }
}

function failureOf(error: unknown): FailureOptions {
  return error instanceof JobError ? error.failure : { retryable: true }
}

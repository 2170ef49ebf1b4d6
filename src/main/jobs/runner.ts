import { randomUUID } from 'node:crypto'
import { NoticeError, notice, type Notice } from '../../shared/notice'
import type { JobKind } from '../../shared/types'
import { storageProblem, type WorkPause } from '../errors'
import { JOB_PAYLOADS } from './payloads'
import type { ClaimedJob, ClaimedRow, FailureOptions, JobCommit, JobQueue, LeasedJob } from './queue'

export interface JobContext {
  signal: AbortSignal
  progress(fraction: number): void
}

/**
 * Does a job's slow work and returns the writes that record its result. Those run in the same
 * transaction that marks the job done, so a result is stored exactly once even across crashes.
 */
export type JobHandler<K extends JobKind = JobKind> = (
  job: ClaimedJob<K>,
  context: JobContext,
) => Promise<JobCommit | void>

/** The handler of each kind of job this runner runs. */
export type JobHandlers = { [K in JobKind]?: JobHandler<K> }

/** Throw to control how a failure is retried; any other error is retried with backoff. */
export class JobError extends NoticeError {
  constructor(
    notice: Notice,
    readonly failure: FailureOptions,
  ) {
    super(notice)
    this.name = 'JobError'
  }
}

export interface RunnerOptions {
  concurrency: Partial<Record<JobKind, number>>
  /** Longest sleep between looks at the queue (also how often expired leases are reclaimed). */
  idleCheckMs: number
  heartbeatMs: number
  /** How often to try again while the library cannot be written. */
  pausedRetryMs: number
  /** The runner paused (the library cannot be written) or resumed (null). */
  onPause: (reason: WorkPause | null) => void
}

const DEFAULTS: RunnerOptions = {
  concurrency: { 'recording-download': 3, 'recording-transcription': 1, 'recording-summary': 2 },
  idleCheckMs: 15_000,
  heartbeatMs: 10_000,
  pausedRetryMs: 15_000,
  onPause: () => undefined,
}

/** Runs queued jobs with per-kind concurrency, heartbeats their leases and honours cancel. */
export class JobRunner {
  readonly owner = `runner-${process.pid}-${randomUUID().slice(0, 8)}`
  private readonly options: RunnerOptions
  private readonly active = new Map<
    number,
    { controller: AbortController; done: Promise<void>; job: LeasedJob }
  >()
  private timer: NodeJS.Timeout | undefined
  private stopping = false
  private started = false
  private unsubscribe: (() => void) | undefined
  private pausedFor: WorkPause | null = null
  /** A look at the queue is under way; a request for another while it runs makes it look once more. */
  private pumping: Promise<void> | null = null
  private pumpAgain = false

  constructor(
    private readonly queue: JobQueue,
    private readonly handlers: JobHandlers,
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
    this.unsubscribe = this.queue.subscribe((event) => {
      if (event.type === 'runnable') this.pump()
      if (event.type === 'changed' && event.job.state === 'cancelled')
        this.active.get(event.job.id)?.controller.abort()
    })
    this.pump({ recoverLeases: true })
  }

  /** Stops taking work, aborts what runs and gives it back to the queue (it resumes on next start). */
  async stop(): Promise<void> {
    this.stopping = true
    this.unsubscribe?.()
    clearTimeout(this.timer)
    for (const { controller } of this.active.values()) controller.abort(new Error('shutting down'))
    await this.pumping
    await Promise.all([...this.active.values()].map((entry) => entry.done))
  }

  /** Why no work is taken (the disk is full, the library cannot be written), or null. */
  get paused(): WorkPause | null {
    return this.pausedFor
  }

  get runningCount(): number {
    return this.active.size
  }

  isRunning(kind: JobKind): boolean {
    return [...this.active.values()].some((entry) => entry.job.kind === kind)
  }

  /** Takes what work there is room for; one look at a time (a request during one makes another). */
  private pump(options: { recoverLeases?: boolean } = {}): void {
    if (this.stopping || !this.started) return
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    clearTimeout(this.timer)
    this.pumping = this.look(options.recoverLeases ?? false).finally(() => {
      this.pumping = null
      if (this.pumpAgain) {
        this.pumpAgain = false
        this.pump()
      }
    })
  }

  private async look(recoverLeases: boolean): Promise<void> {
    try {
      if (recoverLeases) await this.queue.recoverExpiredLeases()
      for (const [kind, handler] of Object.entries(this.handlers) as [JobKind, JobHandler][]) {
        const limit = this.options.concurrency[kind] ?? 1
        while (!this.stopping && this.countOf(kind) < limit) {
          const job = await this.queue.claim(kind, this.owner)
          if (!job) break
          this.run(job, handler as JobHandler)
        }
      }
      this.setPaused(null)
      await this.scheduleNextLook()
    } catch (error) {
      this.storageFailed(error)
    }
  }

  /**
   * The library could not be written (a full disk): take no work, say why, and try again on a timer;
   * the first claim that succeeds resumes. Any other error is a bug, but still must not end the app.
   */
  private storageFailed(error: unknown): void {
    const reason = storageProblem(error)
    if (!reason) console.error(`job runner: ${(error as Error)?.message ?? String(error)}`)
    this.setPaused(reason ?? 'storage-error')
    clearTimeout(this.timer)
    if (this.stopping) return
    this.timer = setTimeout(() => this.pump(), this.options.pausedRetryMs)
    this.timer.unref?.()
  }

  private setPaused(reason: WorkPause | null): void {
    if (this.pausedFor === reason) return
    this.pausedFor = reason
    this.options.onPause(reason)
  }

  private async scheduleNextLook(): Promise<void> {
    const now = Date.now()
    const waits: number[] = []
    for (const kind of Object.keys(this.handlers) as JobKind[]) {
      const at = await this.queue.nextRunAt(kind)
      if (at !== null) waits.push(Math.max(0, at - now))
    }
    const delay = Math.min(this.options.idleCheckMs, ...waits)
    clearTimeout(this.timer)
    if (this.stopping) return
    this.timer = setTimeout(() => this.pump({ recoverLeases: true }), delay + 5)
    this.timer.unref?.()
  }

  private countOf(kind: JobKind): number {
    let count = 0
    for (const entry of this.active.values()) if (entry.job.kind === kind) count++
    return count
  }

  private run(claimed: ClaimedRow, handler: JobHandler): void {
    const payload = JOB_PAYLOADS[claimed.kind].safeParse(claimed.payload)
    if (!payload.success) {
      // A row this version cannot read (written by a newer one, or damaged): that job fails, alone.
      const problem = payload.error.issues.map((issue) => issue.message).join('; ')
      this.queue
        .fail(claimed, new NoticeError(notice('job.unreadable', { detail: problem })), {
          retryable: false,
        })
        .catch((error: unknown) => this.storageFailed(error))
      return
    }
    const job = { ...claimed, payload: payload.data } as ClaimedJob
    const controller = new AbortController()
    const heartbeat = setInterval(() => {
      this.queue.heartbeat(job).then(
        (held) => held || controller.abort(new Error('lease lost')),
        // A missed heartbeat on a full disk is harmless: the lease is long, the next one may succeed.
        () => undefined,
      )
    }, this.options.heartbeatMs)
    heartbeat.unref?.()
    const context: JobContext = {
      signal: controller.signal,
      progress: (fraction) => {
        // Progress is a courtesy; the work goes on without it.
        if (!controller.signal.aborted) this.queue.progress(job, fraction).catch(() => undefined)
      },
    }
    const entry = { controller, job, done: Promise.resolve() }
    this.active.set(job.id, entry)
    entry.done = (async () => {
      await null // the entry is registered before any handler code runs
      try {
        const commit = await handler(job, context)
        if (controller.signal.aborted) throw controller.signal.reason
        await this.queue.complete(job, commit ?? undefined)
      } catch (error) {
        try {
          // The library could not be written (its result, most likely): not the job's fault, so it
          // goes back to the queue without using an attempt, and the runner pauses.
          if (storageProblem(error)) {
            this.storageFailed(error)
            await this.queue.release(job)
          } else if (this.stopping) await this.queue.release(job)
          else if (!controller.signal.aborted) await this.queue.fail(job, error, failureOf(error))
          // Aborted by cancel or a lost lease: the queue already holds the job's true state.
        } catch (storageError) {
          // Neither the result nor the failure could be written: the job keeps its lease, which
          // expires and hands it back to the queue once the library can be written again.
          this.storageFailed(storageError)
        }
      } finally {
        clearInterval(heartbeat)
        this.active.delete(job.id)
        if (!this.stopping && this.pausedFor === null) this.pump()
      }
    })()
  }
}

function failureOf(error: unknown): FailureOptions {
  return error instanceof JobError ? error.failure : { retryable: true }
}

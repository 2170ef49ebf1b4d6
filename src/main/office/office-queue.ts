import { PgBoss, type Job } from 'pg-boss'
import type pg from 'pg'
import { noticeOf } from '../../shared/notice'
import { JOB_PAYLOADS, type JobPayload } from '../jobs/payloads'
import { inTransaction } from '../store/postgres/connection'

/** The jobs the office shares between its machines (model downloads stay per machine). */
export const OFFICE_JOB_KINDS = [
  'recording-download',
  'recording-transcription',
  'recording-summary',
] as const
export type OfficeJobKind = (typeof OFFICE_JOB_KINDS)[number]

export interface OfficeJob<K extends OfficeJobKind = OfficeJobKind> {
  kind: K
  id: string
  /** What the job is about (a recording SID): at most one job per kind and subject is waiting or running. */
  subject: string
  payload: JobPayload<K>
  /** 0 on the first attempt; each retry or takeover after a lost worker adds one. */
  attempt: number
  /** Aborted when this attempt is no longer this worker's (expired, or taken over). */
  signal: AbortSignal
}

/**
 * Does a job's slow work and returns the writes that record its result. They run in the transaction that
 * marks this attempt done, and only if it is still this worker's: a result is stored exactly once even
 * when a worker that was thought dead comes back after its job was taken over.
 */
export type OfficeJobHandler<K extends OfficeJobKind> = (
  job: OfficeJob<K>,
) => Promise<((client: pg.PoolClient) => Promise<void>) | void>

export interface OfficeQueueOptions {
  /** The pool the library's writes (a handler's commit) go through; pg-boss keeps its own. */
  pool: pg.Pool
  url: string
  /** The PostgreSQL schema pg-boss keeps its tables in. */
  schema?: string
  /** An attempt silent for this long is taken over (a running one proves it is alive twice as often). */
  heartbeatSeconds?: number
  /** How often the queue looks for attempts whose worker went silent (and other housekeeping). */
  monitorSeconds?: number
  /** How often an idle worker looks for new work. */
  pollSeconds?: number
  /** Attempts after the first before a job is failed for good. */
  retryLimit?: number
  /** The first retry's delay; each further one doubles it. */
  retryDelaySeconds?: number
  /** Whether this process runs the queue's housekeeping (every machine may; one at a time does the work). */
  supervise?: boolean
}

/** An attempt that was taken over before it could record its result: the result is dropped. */
export class LostAttemptError extends Error {
  constructor(job: OfficeJob) {
    super(`${job.kind} ${job.subject}: attempt ${job.attempt} was taken over before it finished`)
    this.name = 'LostAttemptError'
  }
}

interface QueuedData {
  subject: string
  payload: unknown
}

/**
 * The office's shared job queue: download, transcription and summary jobs on PostgreSQL, taken by any
 * number of workers on any machines, on pg-boss (why: docs/decisions/0006-office-mode.md). What the
 * desktop queue guarantees holds here too: one job per kind and subject at a time (idempotent keys),
 * retries with backoff, a silent worker's job taken over, and a result recorded exactly once.
 */
export class OfficeQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly pool: pg.Pool,
    private readonly pollSeconds: number,
  ) {}

  static async open(options: OfficeQueueOptions): Promise<OfficeQueue> {
    const monitorSeconds = options.monitorSeconds ?? 5
    const boss = new PgBoss({
      connectionString: options.url,
      schema: options.schema ?? 'callscribe_jobs',
      supervise: options.supervise ?? true,
      monitorIntervalSeconds: monitorSeconds,
      superviseIntervalSeconds: monitorSeconds,
    })
    // Lost connections and housekeeping hiccups are retried by pg-boss itself; they must not crash the app.
    boss.on('error', () => undefined)
    await boss.start()
    const settings = {
      retryLimit: options.retryLimit ?? 5,
      retryDelay: options.retryDelaySeconds ?? 10,
      retryBackoff: true,
      heartbeatSeconds: options.heartbeatSeconds ?? 10,
      // A long call's transcription can take hours on a slow machine; heartbeats, not this, find the dead.
      expireInSeconds: 24 * 3600,
    }
    for (const kind of OFFICE_JOB_KINDS) {
      if (await boss.getQueue(kind)) await boss.updateQueue(kind, settings)
      else {
        // One job per subject waiting or running: a recording found again by the next sync pass, or by
        // two machines, is not downloaded twice (a queue's policy is fixed when it is made).
        await boss.createQueue(kind, { ...settings, policy: 'exclusive' }).catch(async (error: unknown) => {
          if (!(await boss.getQueue(kind))) throw error // else another machine made it meanwhile
        })
      }
    }
    return new OfficeQueue(boss, options.pool, options.pollSeconds ?? 0.5)
  }

  /** Queues a job; null when one for this kind and subject is already waiting or running. */
  async enqueue<K extends OfficeJobKind>(
    kind: K,
    subject: string,
    payload: JobPayload<K>,
    options: { priority?: number } = {},
  ): Promise<string | null> {
    const data: QueuedData = { subject, payload: JOB_PAYLOADS[kind].parse(payload) }
    return this.boss.send(kind, data, { singletonKey: subject, priority: options.priority ?? 0 })
  }

  /** Takes jobs of one kind, `concurrency` at a time in this process, until stop(). */
  async work<K extends OfficeJobKind>(
    kind: K,
    handler: OfficeJobHandler<K>,
    options: { concurrency?: number } = {},
  ): Promise<void> {
    await this.boss.work<QueuedData>(
      kind,
      { localConcurrency: options.concurrency ?? 1, pollingIntervalSeconds: this.pollSeconds },
      async ([queued]) => {
        if (queued) await this.runAttempt(kind, queued, handler)
      },
    )
  }

  /** A job's state as the queue holds it (for Activity and tests). */
  async state(
    kind: OfficeJobKind,
    id: string,
  ): Promise<{ state: string; attempt: number; output: unknown } | null> {
    const job = await this.boss.getJobById(kind, id)
    return job && { state: job.state, attempt: job.retryCount, output: job.output }
  }

  /** Stops taking work; running attempts get `graceMs` to finish, then are left to be taken over. */
  async stop(graceMs = 5000): Promise<void> {
    await this.boss.stop({ graceful: graceMs > 0, timeout: graceMs, close: true })
  }

  private async runAttempt<K extends OfficeJobKind>(
    kind: K,
    queued: Job<QueuedData>,
    handler: OfficeJobHandler<K>,
  ): Promise<void> {
    try {
      const job: OfficeJob<K> = {
        kind,
        id: queued.id,
        subject: queued.data.subject,
        // A corrupt payload fails this job alone (after its retries), never the worker.
        payload: JOB_PAYLOADS[kind].parse(queued.data.payload) as JobPayload<K>,
        attempt: queued.retryCount,
        signal: queued.signal,
      }
      const commit = await handler(job)
      await inTransaction(this.pool, async (client) => {
        // Fenced on this attempt: if the job was taken over meanwhile, nothing is marked and nothing written.
        const attempt = { id: job.id, retryCount: job.attempt }
        const settled = (await this.boss.complete(kind, attempt, null, {
          db: { executeSql: (text, values) => client.query(text, values) },
        })) as { affected?: number }
        if (settled.affected !== 1) throw new LostAttemptError(job)
        await commit?.(client)
      })
    } catch (error) {
      // The notice (code and parameters) is what Activity shows; pg-boss retries with backoff.
      const failure = new Error(JSON.stringify(noticeOf(error)))
      throw Object.assign(failure, { name: error instanceof Error ? error.name : 'Error' })
    }
  }
}

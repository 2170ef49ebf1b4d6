import { notice } from '../../src/shared/notice'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store'
import { JobQueue, PRIORITY, type QueueEvent } from '../../src/main/jobs/queue'
import { JobError, JobRunner } from '../../src/main/jobs/runner'
import { tempDir } from '../helpers/temp'

let store: Store
let clock: number
let queue: JobQueue
let events: QueueEvent[]

beforeEach(() => {
  store = Store.open(join(tempDir(), 'jobs.db'))
  clock = 1_000_000
  queue = new JobQueue(store, {
    now: () => clock,
    random: () => 0.5,
    leaseMs: 30_000,
    backoffBaseMs: 1_000,
    backoffMaxMs: 60_000,
    defaultMaxAttempts: 3,
  })
  events = []
  queue.subscribe((event) => events.push(event))
  return () => store.close()
})

describe('job queue', () => {
  it('enqueueing the same kind and subject twice gives one job, whose priority only rises', () => {
    const first = queue.enqueue('recording-download', 'RE1')
    const again = queue.enqueue('recording-download', 'RE1', { priority: PRIORITY.user })
    const lower = queue.enqueue('recording-download', 'RE1', { priority: -5 })
    expect(again.id).toBe(first.id)
    expect(lower.priority).toBe(PRIORITY.user)
    expect(queue.list()).toHaveLength(1)
  })

  it('claims the most urgent runnable job first', () => {
    queue.enqueue('recording-download', 'background-1')
    queue.enqueue('recording-download', 'background-2')
    queue.enqueue('recording-download', 'user-pressed-play', { priority: PRIORITY.user })
    expect(queue.claim('recording-download', 'w')?.subject).toBe('user-pressed-play')
    expect(queue.claim('recording-download', 'w')?.subject).toBe('background-1')
    expect(queue.claim('recording-transcription', 'w')).toBeNull()
  })

  it('prioritize moves a waiting job ahead and clears its backoff', () => {
    queue.enqueue('recording-download', 'a')
    queue.enqueue('recording-download', 'b')
    const b = queue.claim('recording-download', 'w')
    expect(b?.subject).toBe('a')
    queue.fail(b!, new Error('network down'))
    queue.prioritize('recording-download', 'a')
    expect(queue.claim('recording-download', 'w')?.subject).toBe('a')
  })

  it('retries failures with growing, jittered backoff, then fails with the error kept', () => {
    queue.enqueue('recording-download', 'RE1')
    const delays: number[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      const job = queue.claim('recording-download', 'w')
      expect(job?.attempts).toBe(attempt)
      const after = queue.fail(job!, new Error(`HTTP 503 (attempt ${attempt})`))
      if (after?.state === 'queued') {
        delays.push(after.runAfter - clock)
        expect(queue.claim('recording-download', 'w')).toBeNull() // not before its time
        clock = after.runAfter
      }
    }
    expect(delays).toEqual([750, 1500]) // base·2^(n-1) × (0.5 + 0.5·random)
    const failed = queue.find('recording-download', 'RE1')
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: 3,
      lastError: notice('unexpected', { detail: 'HTTP 503 (attempt 3)' }),
    })
  })

  it('a permanent failure fails at once; a Retry-After is honoured', () => {
    queue.enqueue('recording-transcription', 'corrupt')
    queue.enqueue('recording-download', 'limited')
    const corrupt = queue.claim('recording-transcription', 'w')
    expect(queue.fail(corrupt!, new Error('not an MP3 file'), { retryable: false })?.state).toBe('failed')
    const limited = queue.claim('recording-download', 'w')
    expect(queue.fail(limited!, new Error('429'), { retryable: true, retryAfterMs: 42_000 })?.runAfter).toBe(
      clock + 42_000,
    )
  })

  it('manual retry starts a failed job over; cancel stops a job and everything waiting on it', () => {
    const download = queue.enqueue('recording-download', 'RE1', { maxAttempts: 1 })
    const transcribe = queue.enqueue('recording-transcription', 'RE1', { dependsOn: download.id })
    expect(transcribe.state).toBe('blocked')
    queue.fail(queue.claim('recording-download', 'w')!, new Error('boom'))
    expect(queue.get(download.id)?.state).toBe('failed')
    expect(queue.retry(download.id)).toMatchObject({ state: 'queued', attempts: 0, lastError: null })
    queue.cancel(download.id)
    expect(queue.get(download.id)?.state).toBe('cancelled')
    expect(queue.get(transcribe.id)?.state).toBe('cancelled')
  })

  it('dependent jobs wait for their dependency and become runnable when it is done', () => {
    const download = queue.enqueue('recording-download', 'RE1')
    const transcribe = queue.enqueue('recording-transcription', 'RE1', { dependsOn: download.id })
    const summarize = queue.enqueue('recording-summary', 'RE1', { dependsOn: transcribe.id })
    expect(queue.claim('recording-transcription', 'w')).toBeNull()
    queue.complete(queue.claim('recording-download', 'w')!)
    expect(queue.get(transcribe.id)?.state).toBe('queued')
    expect(queue.get(summarize.id)?.state).toBe('blocked')
    const running = queue.claim('recording-transcription', 'w')
    expect(running?.subject).toBe('RE1')
  })

  it('retrying a job whose dependency failed retries the dependency too', () => {
    const download = queue.enqueue('recording-download', 'RE1', { maxAttempts: 1 })
    const transcribe = queue.enqueue('recording-transcription', 'RE1', { dependsOn: download.id })
    queue.fail(queue.claim('recording-download', 'w')!, new Error('boom'))
    queue.cancel(transcribe.id)
    queue.retry(transcribe.id)
    expect(queue.get(download.id)?.state).toBe('queued')
    expect(queue.get(transcribe.id)?.state).toBe('blocked')
  })

  it('a job whose lease was lost commits nothing', () => {
    queue.enqueue('recording-transcription', 'RE1')
    const job = queue.claim('recording-transcription', 'crashed-worker')!
    clock += 31_000
    expect(queue.recoverExpiredLeases()).toBe(1)
    const again = queue.claim('recording-transcription', 'new-worker')!
    let writes = 0
    expect(queue.complete(job, () => writes++)).toBe(false)
    expect(queue.heartbeat(job)).toBe(false)
    expect(queue.complete(again, () => writes++)).toBe(true)
    expect(writes).toBe(1)
    expect(queue.get(again.id)).toMatchObject({ state: 'done', attempts: 2 })
  })

  it('a job that keeps dying mid-run fails instead of looping forever', () => {
    queue.enqueue('recording-transcription', 'poison', { maxAttempts: 2 })
    for (let i = 0; i < 2; i++) {
      queue.claim('recording-transcription', 'w')
      clock += 31_000
      queue.recoverExpiredLeases()
    }
    expect(queue.find('recording-transcription', 'poison')).toMatchObject({
      state: 'failed',
      lastError: notice('job.interrupted', { times: 2 }),
    })
  })

  it('heartbeats keep a long job leased', () => {
    queue.enqueue('recording-transcription', 'long')
    const job = queue.claim('recording-transcription', 'w')!
    for (let i = 0; i < 5; i++) {
      clock += 20_000
      expect(queue.heartbeat(job)).toBe(true)
      expect(queue.recoverExpiredLeases()).toBe(0)
    }
  })

  it('reports state changes and whole-percent progress as events', () => {
    queue.enqueue('recording-download', 'RE1')
    const job = queue.claim('recording-download', 'w')!
    for (const fraction of [0.001, 0.004, 0.5, 0.501, 1]) queue.progress(job, fraction)
    queue.complete(job)
    const progress = events
      .filter((e) => e.type === 'progress')
      .map((e) => (e as { progress: number }).progress)
    expect(progress).toEqual([0, 0.5, 1])
    const states = events
      .filter((e) => e.type === 'changed')
      .map((e) => (e as { job: { state: string } }).job.state)
    expect(states).toEqual(['queued', 'running', 'done'])
  })

  it('force re-runs a finished job; without it a finished job stays finished', () => {
    queue.enqueue('recording-summary', 'RE1')
    queue.complete(queue.claim('recording-summary', 'w')!)
    expect(queue.enqueue('recording-summary', 'RE1').state).toBe('done')
    expect(queue.enqueue('recording-summary', 'RE1', { force: true })).toMatchObject({
      state: 'queued',
      attempts: 0,
    })
  })
})

describe('job runner', () => {
  const waitFor = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
    if (!check()) throw new Error(`timed out waiting for ${what}`)
  }

  it('a job whose stored payload does not fit its kind fails alone, with the reason; the next one runs', async () => {
    const realQueue = new JobQueue(store)
    const seen: (boolean | null)[] = []
    const runner = new JobRunner(realQueue, {
      'recording-summary': async (job) => void seen.push(job.payload?.force ?? null),
    })
    const damaged = realQueue.enqueue('recording-summary', 'RE-damaged', { payload: { force: true } })
    store.db.prepare(`UPDATE jobs SET payload = ? WHERE id = ?`).run('{"force":"yes"}', damaged.id)
    realQueue.enqueue('recording-summary', 'RE-fine', { payload: { force: true } })
    runner.start()
    await waitFor(() => realQueue.list(['done', 'failed']).length === 2, 'both jobs to finish')
    await runner.stop()
    expect(realQueue.get(damaged.id)).toMatchObject({
      state: 'failed',
      lastError: { code: 'job.unreadable', params: { detail: expect.any(String) } },
    })
    expect(seen).toEqual([true])
  })

  it('runs jobs with per-kind concurrency and writes each result exactly once', async () => {
    const realQueue = new JobQueue(store)
    let running = 0
    let peak = 0
    const results: string[] = []
    const runner = new JobRunner(
      realQueue,
      {
        'recording-download': async (job) => {
          running++
          peak = Math.max(peak, running)
          await new Promise((r) => setTimeout(r, 20))
          running--
          return () => results.push(job.subject)
        },
      },
      { concurrency: { 'recording-download': 2 } },
    )
    for (let i = 0; i < 6; i++) realQueue.enqueue('recording-download', `RE${i}`)
    runner.start()
    await waitFor(() => realQueue.list(['done']).length === 6, 'six downloads')
    await runner.stop()
    expect(peak).toBe(2)
    expect(results.sort()).toEqual(['RE0', 'RE1', 'RE2', 'RE3', 'RE4', 'RE5'])
  })

  it('cancel aborts a running job, which then commits nothing', async () => {
    const realQueue = new JobQueue(store)
    let committed = false
    let sawAbort = false
    const runner = new JobRunner(realQueue, {
      'recording-transcription': (_job, { signal }) =>
        new Promise((resolve, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true
            reject(new Error('aborted'))
          })
          setTimeout(() => resolve(() => (committed = true)), 5_000)
        }),
    })
    const job = realQueue.enqueue('recording-transcription', 'RE1')
    runner.start()
    await waitFor(() => realQueue.get(job.id)?.state === 'running', 'running')
    realQueue.cancel(job.id)
    await waitFor(() => sawAbort, 'abort')
    await runner.stop()
    expect(committed).toBe(false)
    expect(realQueue.get(job.id)?.state).toBe('cancelled')
  })

  it('a JobError that is not retryable fails the job with its reason on the first attempt', async () => {
    const realQueue = new JobQueue(store)
    const runner = new JobRunner(realQueue, {
      'recording-transcription': async () => {
        throw new JobError(notice('audio.undecodable', { format: 'MP3', damagedFrames: 0 }), {
          retryable: false,
        })
      },
    })
    const job = realQueue.enqueue('recording-transcription', 'RE1')
    runner.start()
    await waitFor(() => realQueue.get(job.id)?.state === 'failed', 'failure')
    await runner.stop()
    expect(realQueue.get(job.id)).toMatchObject({
      attempts: 1,
      lastError: notice('audio.undecodable', { format: 'MP3', damagedFrames: 0 }),
    })
  })

  it('stopping gives running work back to the queue without using up an attempt', async () => {
    const realQueue = new JobQueue(store)
    const runner = new JobRunner(realQueue, {
      'recording-download': (_job, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stop')))),
    })
    const job = realQueue.enqueue('recording-download', 'RE1')
    runner.start()
    await waitFor(() => realQueue.get(job.id)?.state === 'running', 'running')
    await runner.stop()
    expect(realQueue.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 })
  })
})

import { notice } from '../../src/shared/notice'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store'
import { SqliteLibrary } from '../../src/main/store/sqlite-library'
import { JobQueue, PRIORITY, type QueueEvent } from '../../src/main/jobs/queue'
import { JobError, JobRunner } from '../../src/main/jobs/runner'
import { tempDir } from '../helpers/temp'
import { waitFor } from '../helpers/services'

let store: Store
let clock: number
let queue: JobQueue
let events: QueueEvent[]

beforeEach(async () => {
  store = Store.open(join(tempDir(), 'jobs.db'))
  clock = 1_000_000
  queue = new JobQueue(new SqliteLibrary(store), {
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
  it('enqueueing the same kind and subject twice gives one job, whose priority only rises', async () => {
    const first = await queue.enqueue('recording-download', 'RE1')
    const again = await queue.enqueue('recording-download', 'RE1', { priority: PRIORITY.user })
    const lower = await queue.enqueue('recording-download', 'RE1', { priority: -5 })
    expect(again.id).toBe(first.id)
    expect(lower.priority).toBe(PRIORITY.user)
    expect(await queue.list()).toHaveLength(1)
  })

  it('claims the most urgent runnable job first', async () => {
    await queue.enqueue('recording-download', 'background-1')
    await queue.enqueue('recording-download', 'background-2')
    await queue.enqueue('recording-download', 'user-pressed-play', { priority: PRIORITY.user })
    expect((await queue.claim('recording-download', 'w'))?.subject).toBe('user-pressed-play')
    expect((await queue.claim('recording-download', 'w'))?.subject).toBe('background-1')
    expect(await queue.claim('recording-transcription', 'w')).toBeNull()
  })

  it('prioritize moves a waiting job ahead and clears its backoff', async () => {
    await queue.enqueue('recording-download', 'a')
    await queue.enqueue('recording-download', 'b')
    const b = await queue.claim('recording-download', 'w')
    expect(b?.subject).toBe('a')
    await queue.fail(b!, new Error('network down'))
    await queue.prioritize('recording-download', 'a')
    expect((await queue.claim('recording-download', 'w'))?.subject).toBe('a')
  })

  it('retries failures with growing, jittered backoff, then fails with the error kept', async () => {
    await queue.enqueue('recording-download', 'RE1')
    const delays: number[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      const job = await queue.claim('recording-download', 'w')
      expect(job?.attempts).toBe(attempt)
      const after = await queue.fail(job!, new Error(`HTTP 503 (attempt ${attempt})`))
      if (after?.state === 'queued') {
        delays.push(after.runAfter - clock)
        expect(await queue.claim('recording-download', 'w')).toBeNull() // not before its time
        clock = after.runAfter
      }
    }
    expect(delays).toEqual([750, 1500]) // base·2^(n-1) × (0.5 + 0.5·random)
    const failed = await queue.find('recording-download', 'RE1')
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: 3,
      lastError: notice('unexpected', { detail: 'HTTP 503 (attempt 3)' }),
    })
  })

  it('a permanent failure fails at once; a Retry-After is honoured', async () => {
    await queue.enqueue('recording-transcription', 'corrupt')
    await queue.enqueue('recording-download', 'limited')
    const corrupt = await queue.claim('recording-transcription', 'w')
    expect((await queue.fail(corrupt!, new Error('not an MP3 file'), { retryable: false }))?.state).toBe(
      'failed',
    )
    const limited = await queue.claim('recording-download', 'w')
    expect(
      (await queue.fail(limited!, new Error('429'), { retryable: true, retryAfterMs: 42_000 }))?.runAfter,
    ).toBe(clock + 42_000)
  })

  it('manual retry starts a failed job over; cancel stops a job and everything waiting on it', async () => {
    const download = await queue.enqueue('recording-download', 'RE1', { maxAttempts: 1 })
    const transcribe = await queue.enqueue('recording-transcription', 'RE1', { dependsOn: download.id })
    expect(transcribe.state).toBe('blocked')
    await queue.fail((await queue.claim('recording-download', 'w'))!, new Error('boom'))
    expect((await queue.get(download.id))?.state).toBe('failed')
    expect(await queue.retry(download.id)).toMatchObject({ state: 'queued', attempts: 0, lastError: null })
    await queue.cancel(download.id)
    expect((await queue.get(download.id))?.state).toBe('cancelled')
    expect((await queue.get(transcribe.id))?.state).toBe('cancelled')
  })

  it('dependent jobs wait for their dependency and become runnable when it is done', async () => {
    const download = await queue.enqueue('recording-download', 'RE1')
    const transcribe = await queue.enqueue('recording-transcription', 'RE1', { dependsOn: download.id })
    const summarize = await queue.enqueue('recording-summary', 'RE1', { dependsOn: transcribe.id })
    expect(await queue.claim('recording-transcription', 'w')).toBeNull()
    await queue.complete((await queue.claim('recording-download', 'w'))!)
    expect((await queue.get(transcribe.id))?.state).toBe('queued')
    expect((await queue.get(summarize.id))?.state).toBe('blocked')
    const running = await queue.claim('recording-transcription', 'w')
    expect(running?.subject).toBe('RE1')
  })

  it('retrying a job whose dependency failed retries the dependency too', async () => {
    const download = await queue.enqueue('recording-download', 'RE1', { maxAttempts: 1 })
    const transcribe = await queue.enqueue('recording-transcription', 'RE1', { dependsOn: download.id })
    await queue.fail((await queue.claim('recording-download', 'w'))!, new Error('boom'))
    await queue.cancel(transcribe.id)
    await queue.retry(transcribe.id)
    expect((await queue.get(download.id))?.state).toBe('queued')
    expect((await queue.get(transcribe.id))?.state).toBe('blocked')
  })

  it('a job whose lease was lost commits nothing', async () => {
    await queue.enqueue('recording-transcription', 'RE1')
    const job = (await queue.claim('recording-transcription', 'crashed-worker'))!
    clock += 31_000
    expect(await queue.recoverExpiredLeases()).toBe(1)
    const again = (await queue.claim('recording-transcription', 'new-worker'))!
    let writes = 0
    expect(await queue.complete(job, async () => void writes++)).toBe(false)
    expect(await queue.heartbeat(job)).toBe(false)
    expect(await queue.complete(again, async () => void writes++)).toBe(true)
    expect(writes).toBe(1)
    expect(await queue.get(again.id)).toMatchObject({ state: 'done', attempts: 2 })
  })

  it('a job that keeps dying mid-run fails instead of looping forever', async () => {
    await queue.enqueue('recording-transcription', 'poison', { maxAttempts: 2 })
    for (let i = 0; i < 2; i++) {
      await queue.claim('recording-transcription', 'w')
      clock += 31_000
      await queue.recoverExpiredLeases()
    }
    expect(await queue.find('recording-transcription', 'poison')).toMatchObject({
      state: 'failed',
      lastError: notice('job.interrupted', { times: 2 }),
    })
  })

  it('heartbeats keep a long job leased', async () => {
    await queue.enqueue('recording-transcription', 'long')
    const job = (await queue.claim('recording-transcription', 'w'))!
    for (let i = 0; i < 5; i++) {
      clock += 20_000
      expect(await queue.heartbeat(job)).toBe(true)
      expect(await queue.recoverExpiredLeases()).toBe(0)
    }
  })

  it('reports state changes and whole-percent progress as events', async () => {
    await queue.enqueue('recording-download', 'RE1')
    const job = (await queue.claim('recording-download', 'w'))!
    for (const fraction of [0.001, 0.004, 0.5, 0.501, 1]) await queue.progress(job, fraction)
    await queue.complete(job)
    const progress = events
      .filter((e) => e.type === 'progress')
      .map((e) => (e as { progress: number }).progress)
    expect(progress).toEqual([0, 0.5, 1])
    const states = events
      .filter((e) => e.type === 'changed')
      .map((e) => (e as { job: { state: string } }).job.state)
    expect(states).toEqual(['queued', 'running', 'done'])
  })

  it('force re-runs a finished job; without it a finished job stays finished', async () => {
    await queue.enqueue('recording-summary', 'RE1')
    await queue.complete((await queue.claim('recording-summary', 'w'))!)
    expect((await queue.enqueue('recording-summary', 'RE1')).state).toBe('done')
    expect(await queue.enqueue('recording-summary', 'RE1', { force: true })).toMatchObject({
      state: 'queued',
      attempts: 0,
    })
  })
})

describe('job runner', () => {
  it('a job whose stored payload does not fit its kind fails alone, with the reason; the next one runs', async () => {
    const realQueue = new JobQueue(new SqliteLibrary(store))
    const seen: (boolean | null)[] = []
    const runner = new JobRunner(realQueue, {
      'recording-summary': async (job) => void seen.push(job.payload?.force ?? null),
    })
    const damaged = await realQueue.enqueue('recording-summary', 'RE-damaged', { payload: { force: true } })
    store.db.prepare(`UPDATE jobs SET payload = ? WHERE id = ?`).run('{"force":"yes"}', damaged.id)
    await realQueue.enqueue('recording-summary', 'RE-fine', { payload: { force: true } })
    runner.start()
    await waitFor(async () => (await realQueue.list(['done', 'failed'])).length === 2, 'both jobs to finish')
    await runner.stop()
    expect(await realQueue.get(damaged.id)).toMatchObject({
      state: 'failed',
      lastError: { code: 'job.unreadable', params: { detail: expect.any(String) } },
    })
    expect(seen).toEqual([true])
  })

  it('runs jobs with per-kind concurrency and writes each result exactly once', async () => {
    const realQueue = new JobQueue(new SqliteLibrary(store))
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
          return async () => void results.push(job.subject)
        },
      },
      { concurrency: { 'recording-download': 2 } },
    )
    for (let i = 0; i < 6; i++) await realQueue.enqueue('recording-download', `RE${i}`)
    runner.start()
    await waitFor(async () => (await realQueue.list(['done'])).length === 6, 'six downloads')
    await runner.stop()
    expect(peak).toBe(2)
    expect(results.sort()).toEqual(['RE0', 'RE1', 'RE2', 'RE3', 'RE4', 'RE5'])
  })

  it('cancel aborts a running job, which then commits nothing', async () => {
    const realQueue = new JobQueue(new SqliteLibrary(store))
    let committed = false
    let sawAbort = false
    const runner = new JobRunner(realQueue, {
      'recording-transcription': (_job, { signal }) =>
        new Promise((resolve, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true
            reject(new Error('aborted'))
          })
          setTimeout(() => resolve(async () => void (committed = true)), 5_000)
        }),
    })
    const job = await realQueue.enqueue('recording-transcription', 'RE1')
    runner.start()
    await waitFor(async () => (await realQueue.get(job.id))?.state === 'running', 'running')
    await realQueue.cancel(job.id)
    await waitFor(async () => sawAbort, 'abort')
    await runner.stop()
    expect(committed).toBe(false)
    expect((await realQueue.get(job.id))?.state).toBe('cancelled')
  })

  it('a JobError that is not retryable fails the job with its reason on the first attempt', async () => {
    const realQueue = new JobQueue(new SqliteLibrary(store))
    const runner = new JobRunner(realQueue, {
      'recording-transcription': async () => {
        throw new JobError(notice('audio.undecodable', { format: 'MP3', damagedFrames: 0 }), {
          retryable: false,
        })
      },
    })
    const job = await realQueue.enqueue('recording-transcription', 'RE1')
    runner.start()
    await waitFor(async () => (await realQueue.get(job.id))?.state === 'failed', 'failure')
    await runner.stop()
    expect(await realQueue.get(job.id)).toMatchObject({
      attempts: 1,
      lastError: notice('audio.undecodable', { format: 'MP3', damagedFrames: 0 }),
    })
  })

  it('stopping gives running work back to the queue without using up an attempt', async () => {
    const realQueue = new JobQueue(new SqliteLibrary(store))
    const runner = new JobRunner(realQueue, {
      'recording-download': (_job, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stop')))),
    })
    const job = await realQueue.enqueue('recording-download', 'RE1')
    runner.start()
    await waitFor(async () => (await realQueue.get(job.id))?.state === 'running', 'running')
    await runner.stop()
    expect(await realQueue.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 })
  })
})

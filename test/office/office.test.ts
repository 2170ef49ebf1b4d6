import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { JobQueue } from '../../src/main/jobs/queue'
import { JobRunner } from '../../src/main/jobs/runner'
import { PgLibrary } from '../../src/main/store/postgres'
import { openOfficePool } from '../../src/main/store/postgres/connection'
import { NO_POSTGRES, postgresBinaries, startPostgres, type PostgresServer } from '../helpers/postgres'

const CHILD = fileURLToPath(new URL('../helpers/office-child.ts', import.meta.url))
const available = postgresBinaries() !== null
let server: PostgresServer
let library: PgLibrary
let queue: JobQueue
const children: ChildProcess[] = []
const runners: JobRunner[] = []

/** A machine of the office in its own process, with every line it has said so far. */
function machine(...args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  const lines: string[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line))
  const said = (line: string) =>
    vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited (${child.exitCode})`)
        expect(lines).toContain(line)
      },
      { timeout: 30_000, interval: 50 },
    )
  return { child, lines, said }
}

const results = async () =>
  (
    await library.sql.query<{ subject: string; worker: string; attempt: number }>(
      'SELECT subject, worker, attempt FROM office_results ORDER BY subject',
    )
  ).rows

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(async () => {
  if (!available) return
  server = startPostgres()
  library = await PgLibrary.open(openOfficePool(server.url))
  queue = new JobQueue(library)
  // No unique key on purpose: a job recorded twice shows as two rows.
  await library.sql.query(
    'CREATE TABLE office_results (subject text NOT NULL, worker text NOT NULL, attempt int NOT NULL)',
  )
  await library.sql.query(
    'CREATE TABLE office_leader_beats (leader text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())',
  )
}, 60_000)

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }
  await Promise.all(runners.splice(0).map((runner) => runner.stop()))
  if (available) await library.sql.query('TRUNCATE office_results, office_leader_beats, jobs')
})

afterAll(async () => {
  if (!available) return
  await library.close()
  server.stop()
})

describe('the office’s jobs on PostgreSQL, taken by several machines', () => {
  it('two queues racing for the same jobs, claim after claim, never take the same one', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const other = await PgLibrary.open(openOfficePool(server.url, 4))
    const [one, two] = [queue, new JobQueue(other)]
    for (let i = 0; i < 60; i++) await one!.enqueue('recording-download', `RE${i}`)
    const taken: string[] = []
    const drain = async (queue: JobQueue, owner: string) => {
      for (let job = await queue.claim('recording-download', owner); job; ) {
        taken.push(job.subject)
        await queue.complete(job)
        job = await queue.claim('recording-download', owner)
      }
    }
    await Promise.all([drain(one!, 'one'), drain(two!, 'two'), drain(one!, 'one-b'), drain(two!, 'two-b')])
    expect(taken.toSorted()).toEqual(Array.from({ length: 60 }, (_, i) => `RE${i}`).toSorted())
    const attempts = await library.sql.query('SELECT DISTINCT attempts FROM jobs')
    expect(attempts.rows).toEqual([{ attempts: 1 }])
    await other.close()
  })

  it('two machines racing for 30 jobs: each job recorded exactly once, both did work', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const machines = [
      machine('worker', server.url, 'server-a', '50'),
      machine('worker', server.url, 'server-b', '50'),
    ]
    await Promise.all(machines.map((one) => one.said('ready')))
    for (let i = 0; i < 30; i++)
      await queue.enqueue('recording-transcription', `RE${String(i).padStart(2, '0')}`)
    await vi.waitFor(async () => expect(await results()).toHaveLength(30), { timeout: 30_000, interval: 100 })
    await pause(500) // nothing more arrives
    const rows = await results()
    expect(rows).toHaveLength(30)
    expect(new Set(rows.map((row) => row.subject)).size).toBe(30)
    expect(new Set(rows.map((row) => row.worker))).toEqual(new Set(['server-a', 'server-b']))
    expect(rows.every((row) => row.attempt === 1)).toBe(true)
  })

  it('a machine killed mid-transcription: another takes its job over and records it once', async ({
    skip,
  }) => {
    skip(!available, NO_POSTGRES)
    const doomed = machine('worker', server.url, 'server-a', '600000')
    await doomed.said('ready')
    const job = await queue.enqueue('recording-transcription', 'RE-long')
    await doomed.said('start RE-long 1')
    doomed.child.kill('SIGKILL')
    const survivor = machine('worker', server.url, 'server-b', '100')
    // Taken over once its lease (3 s) has run out without a heartbeat.
    await survivor.said('start RE-long 2')
    await survivor.said('done RE-long')
    expect(await results()).toEqual([{ subject: 'RE-long', worker: 'server-b', attempt: 2 }])
    expect(await queue.get(job.id)).toMatchObject({ state: 'done', attempts: 2 })
  })

  it('a machine that was thought dead and wakes up after its job was taken over records nothing', async ({
    skip,
  }) => {
    skip(!available, NO_POSTGRES)
    const frozen = machine('worker', server.url, 'server-a', '2000')
    await frozen.said('ready')
    await queue.enqueue('recording-transcription', 'RE-sleepy')
    await frozen.said('start RE-sleepy 1')
    // The process stops (a suspended virtual machine), its connections stay open.
    frozen.child.kill('SIGSTOP')
    const other = machine('worker', server.url, 'server-b', '100')
    await other.said('done RE-sleepy')
    frozen.child.kill('SIGCONT')
    // It finishes its work and tries to record it: the attempt is no longer its own.
    await pause(3000)
    expect(frozen.lines).not.toContain('done RE-sleepy')
    expect(await results()).toEqual([{ subject: 'RE-sleepy', worker: 'server-b', attempt: 2 }])
  })

  it('retries a failing job with growing delays, and fails it for good with its reason after the last attempt', async ({
    skip,
  }) => {
    skip(!available, NO_POSTGRES)
    const retrying = new JobQueue(library, { backoffBaseMs: 300, random: () => 0.5, defaultMaxAttempts: 3 })
    const attempts: { subject: string; attempt: number; at: number }[] = []
    const runner = new JobRunner(retrying, {
      'recording-download': async (job) => {
        attempts.push({ subject: job.subject, attempt: job.attempts, at: Date.now() })
        if (job.subject === 'RE-flaky' && job.attempts < 3) throw new Error('Twilio answered 503')
        if (job.subject === 'RE-broken') throw new Error('Twilio answered 404')
        return async () => {
          await library.sql.query('INSERT INTO office_results VALUES ($1, $2, $3)', [
            job.subject,
            'here',
            job.attempts,
          ])
        }
      },
    })
    runners.push(runner)
    const flaky = await retrying.enqueue('recording-download', 'RE-flaky')
    const broken = await retrying.enqueue('recording-download', 'RE-broken')
    runner.start()
    const settled = async (id: number, state: string) =>
      vi.waitFor(async () => expect((await retrying.get(id))?.state).toBe(state), {
        timeout: 30_000,
        interval: 200,
      })
    await settled(broken.id, 'failed')
    await settled(flaky.id, 'done')
    expect(await results()).toEqual([{ subject: 'RE-flaky', worker: 'here', attempt: 3 }])
    const times = attempts.filter((a) => a.subject === 'RE-broken').map((a) => a.at)
    expect(times).toHaveLength(3)
    // Backoff: the second wait is longer than the first.
    expect(times[2]! - times[1]!).toBeGreaterThan(times[1]! - times[0]!)
    expect(await retrying.get(broken.id)).toMatchObject({
      attempts: 3,
      lastError: { code: 'unexpected', params: { detail: 'Twilio answered 404' } },
    })
  })
})

describe('one sync leader per office', () => {
  it('exactly one machine leads; when it dies another takes over, and their passes never overlap', async ({
    skip,
  }) => {
    skip(!available, NO_POSTGRES)
    const a = machine('leader', server.url, 'desk-a')
    await a.said('leading')
    const b = machine('leader', server.url, 'desk-b')
    await b.said('ready')
    await pause(1000)
    expect(b.lines).not.toContain('leading')
    a.child.kill('SIGKILL')
    await b.said('leading')
    await pause(500)
    const beats = (
      await library.sql.query<{ leader: string; at: Date }>(
        'SELECT leader, at FROM office_leader_beats ORDER BY at',
      )
    ).rows
    const times = (leader: string) => beats.filter((beat) => beat.leader === leader).map((beat) => +beat.at)
    expect(times('desk-b').length).toBeGreaterThan(0)
    expect(Math.max(...times('desk-a'))).toBeLessThan(Math.min(...times('desk-b')))
  })
})

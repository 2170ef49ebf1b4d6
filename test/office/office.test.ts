import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { OfficeQueue } from '../../src/main/office/office-queue'
import { openOfficePool } from '../../src/main/store/postgres/connection'
import { NO_POSTGRES, postgresBinaries, startPostgres, type PostgresServer } from '../helpers/postgres'

const CHILD = fileURLToPath(new URL('../helpers/office-child.ts', import.meta.url))
const available = postgresBinaries() !== null
let server: PostgresServer
let pool: pg.Pool
const children: ChildProcess[] = []
const queues: OfficeQueue[] = []
let schemas = 0

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

async function openQueue(schema: string, options: { retryLimit?: number } = {}) {
  const queue = await OfficeQueue.open({
    pool,
    url: server.url,
    schema,
    heartbeatSeconds: 10,
    monitorSeconds: 1,
    retryDelaySeconds: 1,
    ...options,
  })
  queues.push(queue)
  return queue
}

const results = async () =>
  (
    await pool.query<{ subject: string; worker: string; attempt: number }>(
      'SELECT subject, worker, attempt FROM office_results ORDER BY subject',
    )
  ).rows

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(async () => {
  if (!available) return
  server = startPostgres()
  pool = openOfficePool(server.url)
  // No unique key on purpose: a job recorded twice shows as two rows.
  await pool.query(
    'CREATE TABLE office_results (subject text NOT NULL, worker text NOT NULL, attempt int NOT NULL)',
  )
  await pool.query(
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
  await Promise.all(queues.splice(0).map((queue) => queue.stop(0)))
  if (available) await pool.query('TRUNCATE office_results, office_leader_beats')
})

afterAll(async () => {
  if (!available) return
  await pool.end()
  server.stop()
})

describe('office jobs on PostgreSQL (pg-boss), taken by several machines', () => {
  it('queues a recording found twice (by the next sync pass, or by two machines) once', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const queue = await openQueue(`jobs_${++schemas}`)
    expect(await queue.enqueue('recording-transcription', 'RE1', null)).toEqual(expect.any(String))
    expect(await queue.enqueue('recording-transcription', 'RE1', null)).toBeNull()
    // Another kind, or another recording, is its own job.
    expect(await queue.enqueue('recording-summary', 'RE1', { force: false })).toEqual(expect.any(String))
    expect(await queue.enqueue('recording-transcription', 'RE2', null)).toEqual(expect.any(String))
    // A payload the kind does not take is refused before it reaches the office.
    await expect(queue.enqueue('recording-summary', 'RE3', { force: 'yes' } as never)).rejects.toThrow()
  })

  it('two machines racing for 30 jobs: each job recorded exactly once, both did work', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const schema = `jobs_${++schemas}`
    const queue = await openQueue(schema)
    const desks = [
      machine('worker', server.url, 'desk-a', '50', schema),
      machine('worker', server.url, 'desk-b', '50', schema),
    ]
    await Promise.all(desks.map((desk) => desk.said('ready')))
    for (let i = 0; i < 30; i++)
      await queue.enqueue('recording-transcription', `RE${String(i).padStart(2, '0')}`, null)
    await vi.waitFor(async () => expect(await results()).toHaveLength(30), { timeout: 30_000, interval: 100 })
    await pause(500) // nothing more arrives
    const rows = await results()
    expect(rows).toHaveLength(30)
    expect(new Set(rows.map((row) => row.subject)).size).toBe(30)
    expect(new Set(rows.map((row) => row.worker))).toEqual(new Set(['desk-a', 'desk-b']))
    expect(rows.every((row) => row.attempt === 0)).toBe(true)
  })

  it('a machine killed mid-transcription: another takes its job over and records it once', async ({
    skip,
  }) => {
    skip(!available, NO_POSTGRES)
    const schema = `jobs_${++schemas}`
    const queue = await openQueue(schema)
    const doomed = machine('worker', server.url, 'desk-a', '600000', schema)
    await doomed.said('ready')
    const id = (await queue.enqueue('recording-transcription', 'RE-long', null)) as string
    await doomed.said('start RE-long 0')
    doomed.child.kill('SIGKILL')
    const survivor = machine('worker', server.url, 'desk-b', '100', schema)
    // Taken over once its heartbeat (10 s) has gone silent.
    await survivor.said('start RE-long 1')
    await survivor.said('done RE-long')
    expect(await results()).toEqual([{ subject: 'RE-long', worker: 'desk-b', attempt: 1 }])
    expect(await queue.state('recording-transcription', id)).toMatchObject({ state: 'completed', attempt: 1 })
  })

  it('a machine that was thought dead and wakes up after its job was taken over records nothing', async ({
    skip,
  }) => {
    skip(!available, NO_POSTGRES)
    const schema = `jobs_${++schemas}`
    const queue = await openQueue(schema)
    const frozen = machine('worker', server.url, 'desk-a', '2000', schema)
    await frozen.said('ready')
    await queue.enqueue('recording-transcription', 'RE-sleepy', null)
    await frozen.said('start RE-sleepy 0')
    // A laptop lid closed mid-job: the process stops, its connection stays open.
    frozen.child.kill('SIGSTOP')
    const other = machine('worker', server.url, 'desk-b', '100', schema)
    await other.said('done RE-sleepy')
    frozen.child.kill('SIGCONT')
    // It finishes its work and tries to record it: the attempt is no longer its own.
    await pause(3000)
    expect(frozen.lines).not.toContain('done RE-sleepy')
    expect(await results()).toEqual([{ subject: 'RE-sleepy', worker: 'desk-b', attempt: 1 }])
  })

  it('retries a failing job with growing delays, and fails it for good with its reason after the last retry', async ({
    skip,
  }) => {
    skip(!available, NO_POSTGRES)
    const queue = await openQueue(`jobs_${++schemas}`, { retryLimit: 2 })
    const attempts: { subject: string; attempt: number; at: number }[] = []
    await queue.work('recording-download', async (job) => {
      attempts.push({ subject: job.subject, attempt: job.attempt, at: Date.now() })
      if (job.subject === 'RE-flaky' && job.attempt < 2) throw new Error('Twilio answered 503')
      if (job.subject === 'RE-broken') throw new Error('Twilio answered 404')
      return async (client) => {
        await client.query('INSERT INTO office_results VALUES ($1, $2, $3)', [
          job.subject,
          'here',
          job.attempt,
        ])
      }
    })
    const flaky = (await queue.enqueue('recording-download', 'RE-flaky', null)) as string
    const broken = (await queue.enqueue('recording-download', 'RE-broken', null)) as string
    const settled = async (id: string, state: string) =>
      vi.waitFor(async () => expect((await queue.state('recording-download', id))?.state).toBe(state), {
        timeout: 30_000,
        interval: 200,
      })
    await settled(broken, 'failed')
    await settled(flaky, 'completed')
    expect(await results()).toEqual([{ subject: 'RE-flaky', worker: 'here', attempt: 2 }])
    const times = attempts.filter((a) => a.subject === 'RE-broken').map((a) => a.at)
    expect(times).toHaveLength(3)
    // Backoff: the second wait is longer than the first.
    expect(times[2]! - times[1]!).toBeGreaterThan(times[1]! - times[0]!)
    const failure = (await queue.state('recording-download', broken))?.output as { message?: string }
    expect(JSON.parse(failure.message ?? '{}')).toMatchObject({
      code: 'unexpected',
      params: { detail: 'Twilio answered 404' },
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
      await pool.query<{ leader: string; at: Date }>('SELECT leader, at FROM office_leader_beats ORDER BY at')
    ).rows
    const times = (leader: string) => beats.filter((beat) => beat.leader === leader).map((beat) => +beat.at)
    expect(times('desk-b').length).toBeGreaterThan(0)
    expect(Math.max(...times('desk-a'))).toBeLessThan(Math.min(...times('desk-b')))
  })
})

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CallDetail, OfficeStatus, SearchHit } from '../../src/shared/types'
import type { Services } from '../../src/main/services'
import { seedManyCalls } from '../../src/main/twilio/emulator/seed'
import type { TwilioEmulator } from '../../src/main/twilio/emulator/server'
import type { RunningOfficeServer } from '../../src/server/office-server'
import { audioFixture } from '../helpers/fixtures'
import { syntheticModel } from '../helpers/models'
import { startTestOffice } from '../helpers/office'
import { NO_POSTGRES, postgresBinaries, startPostgres, type PostgresServer } from '../helpers/postgres'
import { createTestServices, dispatch, waitFor } from '../helpers/services'
import { tempDir } from '../helpers/temp'
import { CREDENTIALS, seedFixtures, startEmulator } from '../helpers/twilio'

const available = postgresBinaries() !== null
const CHILD = join(import.meta.dirname, '../helpers/office-server-child.ts')

let postgres: PostgresServer
const closers: (() => Promise<unknown> | unknown)[] = []
beforeAll(() => {
  if (available) postgres = startPostgres()
})
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})
afterAll(() => postgres?.stop())

/** A fresh database of its own on the test's PostgreSQL server. */
async function newDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: postgres.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return postgres.url.replace('/postgres?', `/${name}?`)
}

async function rows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

async function ok<T>(services: Services, name: string, input: unknown = {}): Promise<T> {
  const answer = await dispatch(services, name, input)
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`)
  return answer.value as T
}

async function emulator(): Promise<TwilioEmulator> {
  const started = await startEmulator()
  closers.push(() => started.close())
  return started
}

async function office(dataDir: string, options: Parameters<typeof startTestOffice>[1]) {
  const server = await startTestOffice(dataDir, { syncLockCheckMs: 200, ...options })
  closers.push(() => server.close())
  return server
}

async function joinedDesk(server: RunningOfficeServer, person: string): Promise<Services> {
  const { services: desk } = createTestServices(tempDir(), { deskRetryMs: 200 })
  await desk.start()
  closers.push(() => desk.close())
  const { code } = await server.services.officeAccess!.invite(person, 'staff')
  await ok<OfficeStatus>(desk, 'office.connect', { address: server.address, code })
  return desk
}

describe('the office server on PostgreSQL', () => {
  it('keeps the whole library there: Twilio’s calls imported, transcribed and summarized, shared by the desks', async ({
    skip,
  }) => {
    if (!available) return skip(NO_POSTGRES)
    const url = await newDatabase('whole_library')
    const twilio = await emulator()
    const seeded = seedFixtures(twilio)
    const dataDir = tempDir()
    const server = await office(dataDir, {
      postgres: url,
      twilioApiOrigin: twilio.origin,
      twilioCredentials: CREDENTIALS,
    })
    await ok(server.services, 'models.import', { path: syntheticModel() })
    await ok(server.services, 'transcription.updateSettings', { language: 'en', quality: 'fast' })
    // The server that holds the office's sync lock polls Twilio; the pipeline runs on the office's queue.
    const settled = async () =>
      (await server.services.queue.list()).every((job) =>
        ['done', 'failed', 'cancelled', 'blocked'].includes(job.state),
      )
    await waitFor(
      async () =>
        (await rows(url, `SELECT 1 FROM jobs WHERE kind = 'recording-summary' AND state = 'done'`)).length >
          0 && (await settled()),
      'the office’s calls to be transcribed and summarized',
      120_000,
    )
    const [counts] = await rows<{ calls: number; transcripts: number; summaries: number }>(
      url,
      `SELECT (SELECT count(*)::int FROM calls) AS calls, (SELECT count(*)::int FROM transcripts) AS transcripts,
              (SELECT count(*)::int FROM summaries) AS summaries`,
    )
    expect(counts!.calls).toBeGreaterThanOrEqual(seeded.length)
    expect(counts!.transcripts).toBeGreaterThan(0)
    expect(counts!.summaries).toBe(counts!.transcripts)
    // Nothing of the library went to a SQLite file on the server.
    expect(existsSync(join(dataDir, 'callscribe.db'))).toBe(false)

    // Two desks: what one changes the other reads back; search finds it.
    const dana = await joinedDesk(server, 'Dana')
    const lior = await joinedDesk(server, 'Lior')
    const plumbing = seeded.find((call) => call.name === 'plumbing-en')!
    await ok(dana, 'calls.review', { callSid: plumbing.callSid, note: 'Call the boiler supplier back' })
    const seen = await ok<CallDetail>(lior, 'calls.get', { callSid: plumbing.callSid })
    expect(seen.review).toMatchObject({ note: 'Call the boiler supplier back', updatedBy: 'Dana' })
    expect(seen.transcript?.segments.length).toBeGreaterThan(0)
    const hits = await ok<SearchHit[]>(lior, 'search.query', { text: 'boiler supplier', limit: 20 })
    expect(hits).toContainEqual(expect.objectContaining({ callSid: plumbing.callSid, source: 'note' }))
  })

  it('two servers on one library: one polls Twilio; killed mid-sync, the other takes over — nothing lost, nothing twice', async ({
    skip,
  }) => {
    if (!available) return skip(NO_POSTGRES)
    const url = await newDatabase('two_servers')
    const CALLS = 150 // two pages of each listing
    const twilio = await emulator()
    seedManyCalls(twilio, CALLS, {
      prefix: 'failover',
      firstStart: new Date(Date.now() - 86_400_000),
      spacingMs: 60_000,
      durationSec: 30,
      channels: 1,
      mp3: readFileSync(audioFixture('silence-20s.mp3')),
    })
    // Listing pages come slowly, so the first server is still listing when it is killed.
    twilio.inject({ path: /Recordings\.json$/, times: 4, fault: { kind: 'slow', delayMs: 3000 } })
    // Both servers share the data folder (a failover pair on shared storage): the same certificate and
    // recordings folder, one PostgreSQL library.
    const dataDir = tempDir()
    const first: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dataDir, url, twilio.origin],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    closers.push(() => first.kill('SIGKILL'))
    await new Promise<void>((resolve) =>
      createInterface({ input: first.stdout! }).on('line', (line) => line === 'ready' && resolve()),
    )
    await waitFor(() => twilio.requestsTo(/Recordings\.json$/).length > 0, 'the first server to be listing')
    const second = await office(dataDir, {
      postgres: url,
      twilioApiOrigin: twilio.origin,
      twilioCredentials: CREDENTIALS,
      transcribeOnServer: false,
      leaseMs: 2000,
    })
    // While the first leads, the second (asking for the lock every 200 ms) does not poll.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(second.services.sync.status()).toMatchObject({ lastSyncAt: null, progress: null })
    expect(second.services.sync.status().state).not.toBe('syncing')
    // Killed mid-sync: it imported the calls, and is waiting for the recordings' first page.
    const [midSync] = await rows<{ calls: number; cursors: number }>(
      url,
      `SELECT (SELECT count(*)::int FROM calls) AS calls,
              (SELECT count(*)::int FROM sync_state WHERE source = 'twilio-recordings') AS cursors`,
    )
    expect(midSync).toEqual({ calls: CALLS, cursors: 0 })
    first.kill('SIGKILL')
    await waitFor(
      async () =>
        (
          await rows<{ n: number }>(
            url,
            `SELECT count(*)::int AS n FROM recordings WHERE availability = 'ready'`,
          )
        )[0]!.n === CALLS,
      'the second server to finish the import and the downloads',
      120_000,
    )
    const [result] = await rows<{ calls: number; recordings: number; jobs: number; done: number }>(
      url,
      `SELECT (SELECT count(*)::int FROM calls) AS calls, (SELECT count(*)::int FROM recordings) AS recordings,
              (SELECT count(*)::int FROM jobs WHERE kind = 'recording-download') AS jobs,
              (SELECT count(*)::int FROM jobs WHERE kind = 'recording-download' AND state = 'done') AS done`,
    )
    expect(result).toEqual({ calls: CALLS, recordings: CALLS, jobs: CALLS, done: CALLS })
  })
})

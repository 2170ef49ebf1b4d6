import { notice } from '../../src/shared/notice'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Services } from '../../src/main/services'
import type { TwilioEmulator } from '../../src/main/twilio/emulator/server'
import { seedManyCalls } from '../../src/main/twilio/emulator/seed'
import { effectiveStatus } from '../../src/main/twilio/emulator/resources'
import { BACKOFF } from '../../src/main/twilio/poller'
import { ACCOUNT_SID, API_KEY, CREDENTIALS, seedFixtures, startEmulator } from '../helpers/twilio'
import { createTestServices, downloadsSettled, waitFor, dispatch, storeOf } from '../helpers/services'
import { tempDir } from '../helpers/temp'

let emulator: TwilioEmulator
let clock: number
let dataDir: string
const open: Services[] = []

async function startServices(redirect = false) {
  if (redirect && !emulator.mediaOrigin) throw new Error('emulator was started without redirects')
  const test = createTestServices(dataDir, { twilioApiOrigin: emulator.origin })
  open.push(test.services)
  await test.services.workspace.saveCredentials(CREDENTIALS)
  await test.services.start()
  return test
}

const count = (services: Services, table: string) =>
  storeOf(services).db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex')

beforeEach(async () => {
  clock = Date.now()
  emulator = await startEmulator({ now: () => clock })
  dataDir = tempDir()
})
afterEach(async () => {
  for (const services of open.splice(0)) await services.close()
  await emulator.close()
})

describe('Twilio sync with the real SDK against the local Twilio', () => {
  it('ingests every recording with its call, maps every status, downloads, and a second pass adds nothing', async () => {
    const seeded = seedFixtures(emulator, new Date(clock - 3_600_000), 60_000)
    const { services, logs } = await startServices()
    const status = await services.sync.pollNow()
    expect(status).toMatchObject({ state: 'idle', lastError: null })
    expect(count(services, 'calls')).toBe(emulator.calls.size) // every leg…
    expect(storeOf(services).calls.list({ limit: 100 }).items).toHaveLength(seeded.length) // …one row per conversation
    expect(count(services, 'recordings')).toBe(seeded.filter((s) => s.recordingSid).length)

    await waitFor(() => downloadsSettled(services), 'downloads')
    const detail = async (name: string) => {
      const callSid = seeded.find((s) => s.name === name)?.callSid as string
      const result = await dispatch(services, 'calls.get', { callSid })
      if (!result.ok) throw new Error(result.error.message)
      return result.value as {
        recording: { recordingSid: string; availability: Record<string, unknown> } | null
      }
    }
    for (const name of ['plumbing-en', 'clinic-he', 'voicemail-en']) {
      const { recording } = await detail(name)
      expect(recording?.availability, name).toEqual({ state: 'ready' })
      const row = storeOf(services).recordings.get(recording!.recordingSid)!
      const served = emulator.recordings.get(row.sid)!
      const local = readFileSync(join(services.paths.recordings, row.local_file!))
      expect(row.sha256).toBe(sha(local))
      expect(local.equals(served.mp3!)).toBe(true) // two-channel file for two-channel recordings
      // Call audio is for this user only, and so is the folder it is in.
      expect(statSync(join(services.paths.recordings, row.local_file!)).mode & 0o777).toBe(0o600)
    }
    for (const folder of [services.paths.dataDir, services.paths.recordings])
      expect(statSync(folder).mode & 0o777).toBe(0o700)
    expect(
      emulator
        .requestsTo(/\.mp3$/)
        .filter((r) => r.status === 200)
        .every((r) => r.authorization),
    ).toBe(true)
    expect((await detail('absent')).recording?.availability).toEqual({
      state: 'missing',
      reason: notice('recording.no-audio', { errorCode: 13617 }),
    })
    expect((await detail('missed')).recording).toBeNull()
    expect((await detail('processing')).recording?.availability).toMatchObject({
      state: 'preparing',
      stage: 'twilio-processing',
    })
    expect((await detail('corrupt')).recording?.availability).toEqual({
      state: 'failed',
      reason: notice('download.not-audio', { format: 'MP3' }),
    })
    expect(existsSync(join(services.paths.recordings, '.partial'))).toBe(true)

    // The same window again: upserts by SID, no new rows, no call refetched.
    const callFetchesBefore = emulator.requestsTo(/Calls\/CA[0-9a-f]+\.json$/).length
    await services.sync.pollNow()
    expect(count(services, 'calls')).toBe(emulator.calls.size)
    expect(count(services, 'recordings')).toBe(seeded.filter((s) => s.recordingSid).length)
    expect(emulator.requestsTo(/Calls\/CA[0-9a-f]+\.json$/).length).toBe(callFetchesBefore)

    // Twilio finishes processing: the next poll picks it up and it becomes playable by itself.
    clock += 61_000
    await services.sync.pollNow()
    await waitFor(() => downloadsSettled(services), 'the processed recording')
    expect((await detail('processing')).recording?.availability).toEqual({ state: 'ready' })
    expect(logs.join('\n')).not.toContain(API_KEY.secret)
  })

  it('tightens a data folder an older version left readable by other users', async () => {
    const dataDir = tempDir()
    chmodSync(dataDir, 0o755)
    mkdirSync(join(dataDir, 'recordings'), { mode: 0o755 })
    writeFileSync(join(dataDir, 'recordings', 'RE-old.mp3'), 'audio', { mode: 0o644 })
    const { services } = createTestServices(dataDir)
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700)
      expect(statSync(join(dataDir, 'recordings')).mode & 0o777).toBe(0o700)
      expect(statSync(join(dataDir, 'recordings', 'RE-old.mp3')).mode & 0o777).toBe(0o600)
    } finally {
      await services.close()
    }
  })

  it('a 429 or 5xx retries that request and carries on; a long Retry-After, lasting 5xx or 401 end the pass', async () => {
    seedFixtures(emulator)
    const { services, logs } = await startServices()
    await services.sync.pollNow()

    // A short rate limit mid-pass: the same page again after Retry-After, and the pass completes.
    emulator.inject({ path: /Recordings\.json$/, fault: { kind: 'status', status: 429, retryAfterSec: 1 } })
    let before = Date.now()
    let status = await services.sync.pollNow()
    expect(status).toMatchObject({ state: 'idle', lastError: null })
    expect(Date.now() - before).toBeGreaterThanOrEqual(1000)
    const recordingPages = emulator.requestsTo(/Recordings\.json$/).slice(-2)
    expect(recordingPages.map((r) => r.status)).toEqual([429, 200])
    expect(recordingPages[0]!.query).toEqual(recordingPages[1]!.query)
    emulator.inject({ path: /Recordings\.json$/, fault: { kind: 'status', status: 503 } })
    expect(await services.sync.pollNow()).toMatchObject({ state: 'idle', lastError: null })

    // Told to wait longer than a pass should hold on: the pass ends and the poller waits as told.
    emulator.inject({ path: /Recordings\.json$/, fault: { kind: 'status', status: 429, retryAfterSec: 120 } })
    before = Date.now()
    status = await services.sync.pollNow()
    expect(status.state).toBe('backing-off')
    expect(status.nextSyncAt! - before).toBeGreaterThanOrEqual(120_000)
    expect(status.nextSyncAt! - Date.now()).toBeLessThanOrEqual(120_000)

    // A server that keeps failing: retried in place five times, then the poller backs off.
    emulator.inject({ path: /Recordings\.json$/, times: 6, fault: { kind: 'status', status: 500 } })
    before = Date.now()
    status = await services.sync.pollNow()
    expect(status).toMatchObject({
      state: 'backing-off',
      lastError: { code: 'twilio.server-error', params: { status: 500 } },
    })
    // the second failed pass in a row: base·2 × jitter in [0.5, 1]
    expect(status.nextSyncAt! - before).toBeGreaterThanOrEqual(BACKOFF.baseMs)
    expect(status.nextSyncAt! - Date.now()).toBeLessThanOrEqual(BACKOFF.baseMs * 2)

    emulator.inject({ path: /Recordings\.json$/, fault: { kind: 'status', status: 401 } })
    status = await services.sync.pollNow()
    expect(status).toMatchObject({
      state: 'credentials-rejected',
      nextSyncAt: null,
      lastError: { code: 'twilio.credentials-rejected' },
    })
    const apiRequests = () => emulator.requestsTo(/\.json$/).length
    const requests = apiRequests()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(apiRequests()).toBe(requests) // nothing is retried on its own

    const saved = await dispatch(services, 'twilio.saveCredentials', { credentials: CREDENTIALS })
    expect(saved.ok).toBe(true)
    await waitFor(() => services.sync.status().state === 'idle', 'sync after new credentials')
    expect(logs.join('\n')).not.toContain(API_KEY.secret)
  })

  it('a sync cut off mid-way resumes after a restart with nothing lost and nothing duplicated', async () => {
    seedFixtures(emulator)
    const audio = [...emulator.recordings.values()][0]!.mp3!
    seedManyCalls(emulator, 240, {
      prefix: 'bulk',
      firstStart: new Date(clock - 2 * 86_400_000),
      spacingMs: 60_000,
      durationSec: 60,
      channels: 1,
      mp3: audio,
    })
    // The connection drops on the second page of recordings.
    emulator.inject({ path: /Recordings\.json$/, after: 1, fault: { kind: 'reset' } })
    const first = await startServices()
    const status = await first.services.sync.pollNow()
    expect(status).toMatchObject({ state: 'offline' })
    const partial = count(first.services, 'recordings')
    expect(partial).toBe(100)
    expect(storeOf(first.services).syncState.get('twilio-recordings').cursor).toBeNull()
    await first.services.close()
    open.splice(open.indexOf(first.services), 1)

    const second = await startServices()
    expect((await second.services.sync.pollNow()).state).toBe('idle')
    expect(count(second.services, 'recordings')).toBe(emulator.recordings.size)
    expect(count(second.services, 'calls')).toBe(emulator.calls.size)
    const distinct = storeOf(second.services)
      .db.prepare('SELECT count(DISTINCT sid) FROM recordings')
      .pluck()
      .get()
    expect(distinct).toBe(emulator.recordings.size)
    expect((await second.services.queue.list()).filter((j) => j.kind === 'recording-download').length).toBe(
      [...emulator.recordings.values()].filter((r) => effectiveStatus(r, clock) === 'completed').length,
    )
  })

  it('an interrupted download resumes with a Range request and ends byte-identical', async () => {
    seedFixtures(emulator)
    const target = [...emulator.recordings.values()].find((r) => r.mp3 && r.channels === 2)!
    emulator.inject({
      path: new RegExp(`${target.sid}\\.mp3$`),
      fault: { kind: 'truncate', afterBytes: 50_000 },
    })
    const { services } = await startServices()
    await services.sync.pollNow()
    await waitFor(
      () => storeOf(services).recordings.get(target.sid)?.availability === 'ready',
      'the resumed download',
      30_000,
    )
    const requests = emulator.requestsTo(new RegExp(`${target.sid}\\.mp3$`))
    expect(requests.map((r) => r.range)).toEqual([null, 'bytes=50000-'])
    const job = (await services.queue.find('recording-download', target.sid))!
    expect(job).toMatchObject({ state: 'done', attempts: 2 })
    const row = storeOf(services).recordings.get(target.sid)!
    expect(readFileSync(join(services.paths.recordings, row.local_file!)).equals(target.mp3!)).toBe(true)
  })

  it('follows a media redirect to another origin without sending the credentials there', async () => {
    await emulator.close()
    emulator = await startEmulator({ redirectMedia: true, now: () => clock })
    seedFixtures(emulator)
    const { services } = await startServices(true)
    await services.sync.pollNow()
    await waitFor(() => downloadsSettled(services), 'downloads')
    const ready = storeOf(services)
      .db.prepare(`SELECT count(*) FROM recordings WHERE availability = 'ready'`)
      .pluck()
      .get()
    expect(ready).toBe(4) // the three sample calls and the forwarded one
    expect(emulator.requestsTo(/\.mp3$/).filter((r) => r.status === 302).length).toBeGreaterThanOrEqual(3)
    expect(emulator.mediaHostAuthorizationHeaders).toBe(0)
  })

  it('never runs two passes at once: a poll during a slow pass joins it', async () => {
    seedFixtures(emulator)
    const { services } = await startServices()
    await services.sync.pollNow()
    const lists = () => emulator.requestsTo(/Recordings\.json$/).length
    const before = lists()
    emulator.inject({ path: /Recordings\.json$/, fault: { kind: 'slow', delayMs: 400 } })
    const [a, b, c] = await Promise.all([
      services.sync.pollNow(),
      services.sync.pollNow(),
      dispatch(services, 'sync.now', {}),
    ])
    expect(a).toEqual(b)
    expect(c).toMatchObject({ ok: true, value: { state: 'idle' } })
    expect(lists() - before).toBe(1)
  })

  it('checks credentials and says exactly what is wrong', async () => {
    const { services } = await startServices()
    const test = async (credentials: unknown) => {
      const result = await dispatch(services, 'twilio.testConnection', { credentials })
      if (!result.ok) throw new Error(result.error.message)
      return result.value
    }
    expect(await test({ accountSid: 'AC123', auth: { kind: 'auth-token', authToken: 'x' } })).toMatchObject({
      ok: false,
      problem: 'format',
      message: notice('twilio.account-sid-format'),
    })
    expect(
      await test({
        ...CREDENTIALS,
        auth: { kind: 'api-key', keySid: API_KEY.sid, keySecret: 'not-the-right-secret' },
      }),
    ).toMatchObject({ ok: false, problem: 'rejected' })
    expect(await test(CREDENTIALS)).toMatchObject({ ok: true })
    await emulator.close()
    expect(await test(CREDENTIALS)).toMatchObject({
      ok: false,
      problem: 'network',
      message: { code: 'twilio.unreachable' },
    })
    const view = await dispatch(services, 'workspace.get', {})
    expect(JSON.stringify(view)).not.toContain(API_KEY.secret)
    expect(view).toMatchObject({
      ok: true,
      value: { mode: 'twilio', twilio: { configured: true, accountSid: `AC…${ACCOUNT_SID.slice(-4)}` } },
    })
  })
})

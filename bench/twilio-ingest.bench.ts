/**
 * Ingesting an account: 10,000 finished recordings (with their calls) from the local Twilio, through the
 * real SDK, into the library. Reports recordings per second and the requests made, next to a baseline in
 * the same process: the SDK paging through the same recordings and calls without storing anything.
 * Then what polling costs afterwards: an idle poll, the deep look back, and ten minutes of polling (every
 * 60 s) while ten recordings are still processing at Twilio.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from '../src/main/twilio/client'
import { TwilioEmulator } from '../src/main/twilio/emulator/server'
import { seedManyCalls } from '../src/main/twilio/emulator/seed'
import { syncPass } from '../src/main/twilio/sync'
import { createTestServices, storeOf } from '../test/helpers/services'
import { ACCOUNT_SID, API_KEY, AUTH_TOKEN, CREDENTIALS } from '../test/helpers/twilio'
import { timeAsync } from './stats'

const RECORDINGS = Number(process.env['BENCH_RECORDINGS'] ?? 10_000)

export async function run(): Promise<Record<string, unknown>> {
  const emulator = await new TwilioEmulator({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    apiKeys: [API_KEY],
  }).start()
  const now = Date.now()
  seedManyCalls(emulator, RECORDINGS, {
    prefix: 'ingest',
    firstStart: new Date(now - 20 * 86_400_000),
    spacingMs: 150_000,
    durationSec: 90,
    channels: 2,
  })

  // Baseline: the SDK alone pages through the same recordings and calls.
  const { client } = connect(CREDENTIALS, emulator.origin)
  const since = new Date(now - 30 * 86_400_000)
  const [, baselineMs] = await timeAsync(async () => {
    let pages = 0
    for (const list of [
      client.recordings.page({ dateCreatedAfter: since, pageSize: 100 }),
      client.calls.page({ startTimeAfter: since, pageSize: 100 }),
    ]) {
      let page: { nextPage(): Promise<unknown> | undefined } | undefined = await list
      while (page) {
        pages++
        page = (await page.nextPage()) as typeof page
      }
    }
    return pages
  })
  const baselineRequests = emulator.log.length
  emulator.log.length = 0

  const dir = mkdtempSync(join(tmpdir(), 'callscribe-ingest-'))
  const { services } = createTestServices(dir, { twilioApiOrigin: emulator.origin })
  await services.workspace.saveCredentials(CREDENTIALS)
  const connection = (await services.workspace.connection())!
  const deps = {
    library: services.library,
    queue: services.queue,
    tracker: services.recordings,
    firstSyncDays: 30,
  }
  const [result, ingestMs] = await timeAsync(() => syncPass(connection, deps))
  const requests = emulator.log.length
  emulator.log.length = 0
  // The first pass did the deep listing too; the next ones are quick listings and pending checks.
  const [, repeatMs] = await timeAsync(() => syncPass(connection, deps, Date.now() + 60_000))
  const repeatRequests = emulator.log.length

  emulator.log.length = 0
  await syncPass(connection, deps, Date.now() + 120_000)
  const idlePollRequests = emulator.log.length

  emulator.log.length = 0
  await syncPass(connection, deps, Date.now() + 7 * 3_600_000) // six hours on: the week is listed again
  const deepPassRequests = emulator.log.length

  // Ten calls whose recordings Twilio takes the whole ten minutes to produce.
  const start = Date.now() + 8 * 3_600_000
  seedManyCalls(emulator, 10, {
    prefix: 'processing',
    firstStart: new Date(start - 60_000),
    spacingMs: 1000,
    durationSec: 30,
    channels: 2,
  })
  for (let i = 0; i < 10; i++)
    [...emulator.recordings.values()].at(-1 - i)!.processingUntil = start + 3_600_000
  emulator.log.length = 0
  let lastList = -Infinity
  for (let t = start; t < start + 10 * 60_000; t += 1000) {
    const listDue = t - lastList >= 60_000
    if (listDue) lastList = t
    await syncPass(connection, { ...deps, listDue }, t)
  }
  const processingRequestsPerMinute = emulator.log.length / 10
  const stored = storeOf(services).db.prepare('SELECT count(*) FROM recordings').pluck().get() as number
  const downloadsQueued = storeOf(services)
    .db.prepare(`SELECT count(*) FROM jobs WHERE kind = 'recording-download' AND state = 'queued'`)
    .pluck()
    .get()

  await services.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
  const perSecond = (ms: number) => Math.round((RECORDINGS / ms) * 1000)
  return {
    recordings: RECORDINGS,
    stored,
    downloadsQueued,
    ingest: {
      seconds: round(ingestMs / 1000),
      recordingsPerSecond: perSecond(ingestMs),
      requests,
      pages: result.pages,
    },
    baselineSdkOnly: {
      seconds: round(baselineMs / 1000),
      recordingsPerSecond: perSecond(baselineMs),
      requests: baselineRequests,
    },
    ingestVsBaseline: round(baselineMs / ingestMs),
    secondPass: { seconds: round(repeatMs / 1000), requests: repeatRequests },
    idlePollRequests,
    deepPassRequests,
    requestsPerMinuteWith10Processing: round(processingRequestsPerMinute),
  }
}

const round = (value: number) => Math.round(value * 100) / 100

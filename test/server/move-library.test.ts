import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CallDetail, OfficeStatus, SearchHit } from '../../src/shared/types'
import type { Services } from '../../src/main/services'
import type { RunningOfficeServer } from '../../src/server/office-server'
import { MOVED_SUFFIX } from '../../src/server/move-library'
import { audioFixture } from '../helpers/fixtures'
import { startTestOffice } from '../helpers/office'
import { NO_POSTGRES, postgresBinaries, startPostgres, type PostgresServer } from '../helpers/postgres'
import { makeRecordingReadyIn, seedCallInto, transcriptOf } from '../helpers/seed'
import { createTestServices, dispatch, waitFor } from '../helpers/services'
import { tempDir } from '../helpers/temp'

let postgres: PostgresServer | undefined
const closers: (() => Promise<unknown>)[] = []
beforeAll(() => {
  if (postgresBinaries()) postgres = startPostgres()
})
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})
afterAll(() => postgres?.stop())

async function ok<T>(services: Services, name: string, input: unknown = {}): Promise<T> {
  const answer = await dispatch(services, name, input)
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`)
  return answer.value as T
}

describe('an office server that gets PostgreSQL after running on its SQLite file', () => {
  it('moves the library there on the first start — calls, transcripts, summaries, notes, people — and desks stay paired', async ({
    skip,
  }) => {
    if (!postgres) return skip(NO_POSTGRES)
    const dataDir = tempDir()
    let server: RunningOfficeServer = await startTestOffice(dataDir)
    const { library } = server.services
    const boiler = await seedCallInto(library, 'moved-boiler', {
      from: '+14155550123',
      startTime: Date.UTC(2026, 10, 20, 9),
      transcript: transcriptOf(['The boiler is leaking again', 'We will send a plumber']),
    })
    await makeRecordingReadyIn(
      library,
      server.services.paths.recordings,
      boiler.recordingSid!,
      audioFixture('plumbing-en-dual.mp3'),
    )
    const recording = (await library.recordings.get(boiler.recordingSid!))!
    const transcript = (await library.transcripts.ofRecording(recording.id))!
    await library.summaries.save(transcript, 'prompt', {
      provider: 'extractive',
      model: 'local',
      summary: 'A leaking boiler; a plumber is coming.',
      intent: 'repair',
      sentiment: 'neutral',
      followUp: true,
      actionItems: [],
      keyPoints: [],
      topics: ['boiler'],
    })
    // A call whose transcription had not run yet.
    const waiting = await seedCallInto(library, 'moved-waiting', { startTime: Date.UTC(2026, 10, 21, 9) })
    await makeRecordingReadyIn(
      library,
      server.services.paths.recordings,
      waiting.recordingSid!,
      audioFixture('plumbing-en-dual.mp3'),
    )

    const { services: desk } = createTestServices(tempDir(), { deskRetryMs: 200 })
    await desk.start()
    closers.push(() => desk.close())
    const { code } = await server.services.officeAccess!.invite('Dana', 'staff')
    await ok(desk, 'office.connect', { address: server.address, code })
    await ok(desk, 'calls.review', { callSid: boiler.callSid, note: 'Ask the supplier about the valve' })

    // The office upgrades: the same server, the same port, now with PostgreSQL.
    const { port } = server
    await server.close()
    server = await startTestOffice(dataDir, { listen: { host: '127.0.0.1', port }, postgres: postgres.url })
    closers.push(() => server.close())
    expect(existsSync(join(dataDir, 'callscribe.db'))).toBe(false)
    expect(existsSync(join(dataDir, `callscribe.db${MOVED_SUFFIX}`))).toBe(true)

    // Dana's desk reconnects with the session it had: nobody pairs again.
    await waitFor(
      () => (desk.desk!.status() as Extract<OfficeStatus, { kind: 'desk' }>).state === 'connected',
      'the desk to reconnect',
    )
    const detail = await ok<CallDetail>(desk, 'calls.get', { callSid: boiler.callSid })
    expect(detail.transcript?.segments.map((segment) => segment.text)).toEqual([
      'The boiler is leaking again',
      'We will send a plumber',
    ])
    expect(detail.summary).toMatchObject({
      summary: 'A leaking boiler; a plumber is coming.',
      followUp: true,
    })
    expect(detail.review).toMatchObject({ note: 'Ask the supplier about the valve', updatedBy: 'Dana' })
    expect(detail.recording?.availability).toMatchObject({ state: 'ready' })
    const hits = await ok<SearchHit[]>(desk, 'search.query', { text: 'supplier valve', limit: 10 })
    expect(hits).toContainEqual(expect.objectContaining({ callSid: boiler.callSid, source: 'note' }))
    // What had not been done yet is queued again.
    expect(await server.services.queue.find('recording-transcription', waiting.recordingSid!)).not.toBeNull()
    expect(await server.services.queue.find('recording-transcription', boiler.recordingSid!)).toBeNull()
  })
})

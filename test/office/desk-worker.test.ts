import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { constants, getPriority } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import type { OfficeStatus } from '../../src/shared/types'
import type { Services, ServicesOptions } from '../../src/main/services'
import { Store } from '../../src/main/store'
import type { RunningOfficeServer } from '../../src/server/office-server'
import { audioFixture } from '../helpers/fixtures'
import { syntheticModel } from '../helpers/models'
import { makeRecordingReady, seedCall, sid } from '../helpers/seed'
import { createTestServices, dispatch, waitFor, storeOf } from '../helpers/services'
import { sha256File } from '../helpers/synthetic-model'
import { tempDir } from '../helpers/temp'
import { startTestOffice } from '../helpers/office'

const CHILD = fileURLToPath(new URL('../helpers/desk-child.ts', import.meta.url))
let server: RunningOfficeServer
const desks: Services[] = []
const children: ChildProcess[] = []
const NAMES = ['first', 'second', 'third', 'fourth', 'fifth']
const RECORDINGS = NAMES.map((name) => sid('RE', `work-${name}`))

/** A desk in this process that joined the office and offers its CPU; `battery` says whether it is on battery. */
async function workingDesk(person: string, battery = { on: false }, options: Partial<ServicesOptions> = {}) {
  const dataDir = tempDir()
  const { services: desk } = createTestServices(dataDir, {
    onBattery: () => battery.on,
    // Work at normal priority: on a busy test machine a lowest-priority engine waits, as it should (the
    // priority itself has a test of its own).
    deskWork: { idleMs: 100, lowPriority: false },
    ...options,
  })
  await desk.start()
  desks.push(desk)
  const { code } = await server.services.officeAccess!.invite(person, 'staff')
  expect(await dispatch(desk, 'office.connect', { address: server.address, code })).toMatchObject({
    ok: true,
  })
  // Each test's desks stop offering when it ends, pass or fail, so the next test's job is its own.
  onTestFinished(async () => void (await dispatch(desk, 'office.offerWork', { enabled: false })))
  const offered = await dispatch(desk, 'office.offerWork', { enabled: true })
  expect(offered).toMatchObject({ ok: true, value: { kind: 'desk', work: { offered: true } } })
  return { desk, dataDir, work: () => (desk.desk!.status() as Extract<OfficeStatus, { kind: 'desk' }>).work }
}

const job = (recordingSid: string) => server.services.queue.find('recording-transcription', recordingSid)
const transcriptOf = (recordingSid: string) => {
  const recording = storeOf(server.services).recordings.get(recordingSid)!
  return storeOf(server.services).transcripts.ofRecording(recording.id)
}

beforeAll(async () => {
  const dataDir = tempDir()
  mkdirSync(join(dataDir, 'recordings'), { recursive: true })
  const store = Store.open(join(dataDir, 'callscribe.db'))
  store.settings.set('workspace', 'twilio')
  for (const [index, recordingSid] of RECORDINGS.entries()) {
    const seed = `work-${NAMES[index]}`
    seedCall(store, seed, { startTime: Date.UTC(2026, 10, 24, 9 + index), recording: { sid: recordingSid } })
    makeRecordingReady(store, join(dataDir, 'recordings'), recordingSid, audioFixture('plumbing-en-dual.mp3'))
  }
  store.close()
  server = await startTestOffice(dataDir, {
    // This server box only keeps the library: desks transcribe.
    transcribeOnServer: false,
    // Short enough for the killed desk's job to move on quickly, long enough for heartbeats (every third
    // of it) to arrive on a loaded machine.
    leaseMs: 6_000,
    runner: { idleCheckMs: 200 },
  })
  expect(await dispatch(server.services, 'models.import', { path: syntheticModel() })).toMatchObject({
    ok: true,
  })
}, 60_000)

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

afterAll(async () => {
  for (const desk of desks) await desk.close()
  await server?.close()
})

describe('desks that offer their idle CPU to the office', () => {
  it('a desk transcribes the office’s call with the office’s model; the server stores it once and queues the summary', async () => {
    await server.services.queue.enqueue('recording-transcription', RECORDINGS[0]!)
    const { desk, dataDir, work } = await workingDesk('Dana')
    await waitFor(
      async () => (await job(RECORDINGS[0]!))?.state === 'done',
      'the desk to transcribe the call',
      120_000,
    )
    const transcript = transcriptOf(RECORDINGS[0]!)!
    expect(transcript.segments.length).toBeGreaterThan(0)
    // Speakers by channel as the server decided for this call (inbound: the caller on channel 0).
    for (const segment of transcript.segments)
      expect(segment.speaker).toBe(segment.channel === 0 ? 'caller' : 'staff')
    expect(await server.services.queue.find('recording-summary', RECORDINGS[0]!)).not.toBeNull()
    await waitFor(() => work().done === 1, 'the desk to count it')
    // The model came from the server once, checked, and is kept by its SHA-256.
    const sha256 = sha256File(syntheticModel())
    expect(existsSync(join(dataDir, 'office-models', `${sha256}.bin`))).toBe(true)
    expect(sha256File(join(dataDir, 'office-models', `${sha256}.bin`))).toBe(sha256)
    // Withdrawing the offer stops it.
    expect(await dispatch(desk, 'office.offerWork', { enabled: false })).toMatchObject({
      ok: true,
      value: { work: { offered: false, state: 'off' } },
    })
  })

  it('a desk on battery takes no work, and starts when it is plugged in', async () => {
    const battery = { on: true }
    const { work } = await workingDesk('Ori', battery)
    await server.services.queue.enqueue('recording-transcription', RECORDINGS[1]!)
    await waitFor(() => work().state === 'paused-on-battery', 'the desk to say it is on battery')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect((await job(RECORDINGS[1]!))?.state).toBe('queued')
    battery.on = false
    await waitFor(
      async () => (await job(RECORDINGS[1]!))?.state === 'done',
      'the desk to transcribe once plugged in',
      120_000,
    )
  })

  it('a desk killed mid-transcription loses the job to the next one; the transcript is recorded once', async () => {
    const { code } = await server.services.officeAccess!.invite('Gil', 'staff')
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, tempDir(), server.address, code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    children.push(child)
    const lines: string[] = []
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line))
    await server.services.queue.enqueue('recording-transcription', RECORDINGS[2]!)
    await vi.waitFor(() => expect(lines).toContain('working'), { timeout: 30_000, interval: 50 })
    expect((await job(RECORDINGS[2]!))?.state).toBe('running')
    child.kill('SIGKILL')

    await workingDesk('Tal')
    await waitFor(
      async () => (await job(RECORDINGS[2]!))?.state === 'done',
      'the next desk to finish the job',
      120_000,
    )
    expect((await job(RECORDINGS[2]!))?.attempts).toBe(2)
    const recording = storeOf(server.services).recordings.get(RECORDINGS[2]!)!
    const stored = storeOf(server.services)
      .db.prepare('SELECT count(*) AS n FROM transcripts WHERE recording_id = ?')
      .get(recording.id) as { n: number }
    expect(stored.n).toBe(1)
  })

  it('a desk whose engine fails uses one attempt, says why and rests; another desk does the job', async () => {
    const broken = join(tempDir(), 'callscribe-whisper')
    writeFileSync(broken, '#!/bin/sh\nexit 3\n', { mode: 0o755 })
    const { desk, work } = await workingDesk(
      'Lior',
      { on: false },
      {
        whisperEnginePath: broken,
        deskWork: { idleMs: 100, firstRestMs: 60_000, lowPriority: false },
      },
    )
    await server.services.queue.enqueue('recording-transcription', RECORDINGS[3]!)
    await waitFor(() => work().problem !== null, 'the broken desk to fail once', 30_000)
    await waitFor(() => work().state === 'resting', 'the broken desk to rest')
    expect(work().problem).toMatchObject({ code: expect.any(String) })
    // Its network drops and comes back: the desk reconnects, and its rest carries on (a flapping network
    // must not let a broken desk take job after job).
    const link = (desk.desk as unknown as { link: { socket: { terminate(): void } } }).link
    link.socket.terminate()
    await waitFor(() => work().state === 'off', 'the desk to notice its connection went')
    await waitFor(() => work().state === 'resting', 'the desk to reconnect, still resting')
    await waitFor(
      async () => (await job(RECORDINGS[3]!))?.state === 'queued',
      'the job to go back to the queue',
    )
    expect(await job(RECORDINGS[3]!)).toMatchObject({ attempts: 1 })
    // Resting: it takes nothing more, and a working desk finishes the job.
    await workingDesk('Yael')
    await waitFor(
      async () => (await job(RECORDINGS[3]!))?.state === 'done',
      'a working desk to do the job',
      120_000,
    )
    expect(await job(RECORDINGS[3]!)).toMatchObject({ attempts: 2 })
  })

  it('a desk’s engine works at the lowest priority; withdrawing the offer gives the job back unspent', async () => {
    const { desk, work } = await workingDesk('Rina', { on: false }, { deskWork: { idleMs: 100 } })
    await server.services.queue.enqueue('recording-transcription', RECORDINGS[4]!)
    // It takes only the CPU the person at this computer leaves idle.
    await waitFor(() => desk.transcriber.engineProcessId !== null, 'the desk’s engine to start', 60_000)
    expect(getPriority(desk.transcriber.engineProcessId!)).toBe(constants.priority.PRIORITY_LOW)
    await waitFor(() => work().state === 'working', 'the desk to be at it')
    expect(await dispatch(desk, 'office.offerWork', { enabled: false })).toMatchObject({ ok: true })
    expect(await job(RECORDINGS[4]!)).toMatchObject({ state: 'queued', attempts: 0 })
  })

  it('a transcript for a lease that is not (or no longer) the sender’s is not recorded', async () => {
    const done = (await job(RECORDINGS[0]!))!
    const transcript = { language: 'en', model: 'x', segments: [], notes: [] }
    expect(await server.services.remoteWork!.complete(done.id, 'not-the-lease', transcript)).toBe(false)
    expect(await server.services.remoteWork!.heartbeat(done.id, 'not-the-lease', 0.5)).toBe(false)
  })
})

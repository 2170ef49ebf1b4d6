import { afterEach, describe, expect, it } from 'vitest'
import type { Services } from '../../src/main/services'
import type { TwilioEmulator } from '../../src/main/twilio/emulator/server'
import { syntheticModel } from '../helpers/models'
import { createTestServices, waitFor, dispatch, storeOf } from '../helpers/services'
import { CREDENTIALS, seedFixtures, startEmulator } from '../helpers/twilio'
import { tempDir } from '../helpers/temp'

let emulator: TwilioEmulator
let services: Services
afterEach(async () => {
  await services?.close()
  await emulator?.close()
})

const settled = (kind: string) => async () =>
  (await services.queue.list())
    .filter((j) => j.kind === kind)
    .every(
      (j) =>
        ['done', 'failed', 'cancelled', 'blocked'].includes(j.state) ||
        (j.state === 'queued' && j.lastError?.code === 'transcription.waiting-for-model'),
    )

describe('recording pipeline: sync → download → transcribe → summarize', () => {
  it('waits for a model, then every downloaded call becomes a speaker-labelled transcript', async () => {
    emulator = await startEmulator()
    const seeded = seedFixtures(emulator)
    services = createTestServices(tempDir(), { twilioApiOrigin: emulator.origin }).services
    await services.workspace.saveCredentials(CREDENTIALS)
    await dispatch(services, 'transcription.updateSettings', { language: 'en', quality: 'fast' })
    await services.start()
    await services.sync.pollNow()
    await waitFor(settled('recording-download'), 'downloads', 30_000)
    await waitFor(settled('recording-transcription'), 'transcription jobs to wait for a model', 30_000)
    const ready = storeOf(services)
      .db.prepare(`SELECT count(*) FROM recordings WHERE availability = 'ready'`)
      .pluck()
      .get() as number
    expect(ready).toBe(5) // three sample calls, the one Twilio had been processing, the forwarded one
    const waiting = (await services.queue.list()).filter(
      (j) => j.kind === 'recording-transcription' && j.state === 'queued',
    )
    expect(waiting.length).toBe(ready)
    expect(waiting.every((j) => j.attempts === 0)).toBe(true) // waiting is not failing

    await dispatch(services, 'models.import', { path: syntheticModel() })
    await waitFor(
      async () =>
        (await services.queue.list(['done'])).filter((j) => j.kind === 'recording-transcription').length ===
        ready,
      'transcripts',
      120_000,
    )

    const detail = async (name: string) => {
      const result = await dispatch(services, 'calls.get', {
        callSid: seeded.find((s) => s.name === name)!.callSid,
      })
      if (!result.ok) throw new Error(result.error.message)
      return result.value as { transcript: { segments: { speaker: string | null }[]; model: string } | null }
    }
    const plumbing = (await detail('plumbing-en')).transcript!
    // Which speaker each segment lands on is the transcriber test's (random weights time nothing).
    expect(plumbing.segments.every((s) => s.speaker === 'caller' || s.speaker === 'staff')).toBe(true)
    expect(plumbing.model).toMatch(/const-ggml-tiny/)
    expect((await detail('voicemail-en')).transcript!.segments.every((s) => s.speaker === null)).toBe(true)
    expect((await detail('corrupt')).transcript).toBeNull()
    const list = storeOf(services).calls.list({ limit: 100 })
    expect(list.items.filter((c) => c.hasTranscript).length).toBe(ready)
    expect(storeOf(services).db.prepare('SELECT count(*) FROM transcripts').pluck().get()).toBe(ready)
    // No language model configured: every transcript still gets the local extractive summary.
    await waitFor(
      async () =>
        (await services.queue.list(['done'])).filter((j) => j.kind === 'recording-summary').length === ready,
      'summaries',
      60_000,
    )
    expect(storeOf(services).db.prepare(`SELECT DISTINCT provider FROM summaries`).pluck().all()).toEqual([
      'extractive',
    ])
  })
})

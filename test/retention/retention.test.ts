import { notice } from '../../src/shared/notice'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Services } from '../../src/main/services'
import { audioFixture } from '../helpers/fixtures'
import { makeRecordingReady, seedCall, transcriptOf } from '../helpers/seed'
import { call, createTestServices, storeOf } from '../helpers/services'
import { tempDir } from '../helpers/temp'

let services: Services
afterEach(() => services?.close())

describe('retention', () => {
  it('removes audio older than the setting, keeps the text, and the player says why', async () => {
    services = createTestServices(tempDir()).services
    const day = 86_400_000
    const now = Date.UTC(2026, 10, 25)
    const make = (seed: string, age: number) => {
      const { callSid, recordingSid } = seedCall(storeOf(services), seed, {
        startTime: now - age * day,
        transcript: transcriptOf(['kept text']),
      })
      makeRecordingReady(
        storeOf(services),
        services.paths.recordings,
        recordingSid!,
        audioFixture('voicemail-en.mp3'),
      )
      return { callSid, recordingSid: recordingSid! }
    }
    const old = make('old', 120)
    const recent = make('recent', 10)
    expect(await services.retention.apply(now)).toBe(0) // keep forever by default
    const updated = await call(services, 'app.updateSettings', { deleteAudioAfterDays: 90 })
    expect(updated.deleteAudioAfterDays).toBe(90)
    expect(existsSync(join(services.paths.recordings, `${old.recordingSid}.mp3`))).toBe(false)
    expect(existsSync(join(services.paths.recordings, `${recent.recordingSid}.mp3`))).toBe(true)
    const detail = await call(services, 'calls.get', { callSid: old.callSid })
    expect(detail.recording?.availability).toEqual({
      state: 'missing',
      reason: notice('recording.audio-removed', { days: 90 }),
    })
    expect(detail.transcript?.segments.map((segment) => segment.text)).toEqual(['kept text'])
  })
})

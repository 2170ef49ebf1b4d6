import { TwilioEmulator } from '../../src/main/twilio/emulator/server'
import { emulatedSid, seedEmulator } from '../../src/main/twilio/emulator/seed'
import type { TwilioCredentials } from '../../src/main/twilio/credentials'
import { AUDIO_FIXTURES, referenceTranscript } from './fixtures'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export const ACCOUNT_SID = emulatedSid('AC', 'test-account')
export const AUTH_TOKEN = 'f'.repeat(32)
export const API_KEY = { sid: emulatedSid('SK', 'test-key'), secret: 'test-key-secret-0123456789abcdef' }
export const CREDENTIALS: TwilioCredentials = {
  accountSid: ACCOUNT_SID,
  auth: { kind: 'api-key', keySid: API_KEY.sid, keySecret: API_KEY.secret },
}

export const FIXTURE_SAMPLES = [
  {
    name: 'plumbing-en',
    mono: 'plumbing-en.mp3',
    dual: 'plumbing-en-dual.mp3',
    durationSec: Math.round(referenceTranscript('plumbing-en').duration_s),
  },
  {
    name: 'clinic-he',
    mono: 'clinic-he.mp3',
    dual: 'clinic-he-dual.mp3',
    durationSec: Math.round(referenceTranscript('clinic-he').duration_s),
  },
  {
    name: 'voicemail-en',
    mono: 'voicemail-en.mp3',
    durationSec: Math.round(referenceTranscript('voicemail-en').duration_s),
  },
]

export async function startEmulator(
  options: { redirectMedia?: boolean; now?: () => number } = {},
): Promise<TwilioEmulator> {
  return new TwilioEmulator({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    apiKeys: [API_KEY],
    ...options,
  }).start()
}

/** The fixture calls plus every awkward case, newest first. */
export function seedFixtures(
  emulator: TwilioEmulator,
  newest = new Date(Date.UTC(2026, 10, 24, 16, 0)),
  processingForMs = 0,
) {
  return seedEmulator(emulator, AUDIO_FIXTURES, FIXTURE_SAMPLES, {
    newest,
    withEdgeCases: { processingForMs, corruptMp3: readFileSync(join(AUDIO_FIXTURES, 'garbage.mp3')) },
  })
}

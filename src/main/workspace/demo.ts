import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { TwilioEmulator } from '../twilio/emulator/server'
import { emulatedSid, seedEmulator } from '../twilio/emulator/seed'
import type { TwilioCredentials } from '../twilio/credentials'

/** The sample calls shipped in resources/demo. */
const SAMPLES = [
  { name: 'plumbing-en', mono: 'plumbing-en-dual.mp3', dual: 'plumbing-en-dual.mp3', durationSec: 60 },
  { name: 'clinic-he', mono: 'clinic-he-dual.mp3', dual: 'clinic-he-dual.mp3', durationSec: 41 },
  { name: 'voicemail-en', mono: 'voicemail-en.mp3', durationSec: 14 },
]

export interface DemoAccount {
  emulator: TwilioEmulator
  credentials: TwilioCredentials
}

/**
 * The demo workspace: a Twilio emulator in this process holding the sample calls, one of which Twilio is
 * "still processing" for a little while, plus a missing and a broken recording — so a newcomer sees the
 * whole flow without an account. Its credentials are random per run and exist only in memory.
 */
export async function startDemoAccount(
  audioDir: string,
  { processingMs = 25_000, now = new Date() }: { processingMs?: number | undefined; now?: Date } = {},
): Promise<DemoAccount> {
  const secret = randomBytes(16).toString('hex')
  const accountSid = emulatedSid('AC', 'callscribe-demo')
  const key = { sid: emulatedSid('SK', 'callscribe-demo'), secret }
  const emulator = await new TwilioEmulator({
    accountSid,
    authToken: randomBytes(16).toString('hex'),
    apiKeys: [key],
  }).start()
  seedEmulator(emulator, audioDir, SAMPLES, {
    newest: new Date(now.getTime() - 10 * 60_000),
    spacingMinutes: 53,
    withEdgeCases: { processingForMs: processingMs, corruptMp3: readFileSync(join(audioDir, 'garbage.mp3')) },
  })
  return {
    emulator,
    credentials: { accountSid, auth: { kind: 'api-key', keySid: key.sid, keySecret: secret } },
  }
}

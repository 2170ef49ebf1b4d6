import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TwilioEmulator } from './server'
import type { EmulatedCall, EmulatedRecording } from './resources'

/** A sample call: its audio (mono mixdown and two-channel) and who talked. */
export interface SampleCall {
  name: string
  mono: string
  dual?: string
  durationSec: number
}

export const OFFICE_NUMBER = '+97235550100'
/** Where the sample forwarded call was forwarded to (a staff mobile). */
export const FORWARDED_TO = '+972509998877'

export function emulatedSid(prefix: 'CA' | 'RE' | 'AC' | 'SK', seed: string): string {
  return prefix + createHash('sha256').update(seed).digest('hex').slice(0, 32)
}

export interface SeedOptions {
  /** Time of the newest call; older ones are spaced out before it. */
  newest: Date
  spacingMinutes?: number
  /**
   * Extra calls that exercise every state and shape: processing for a while, absent, missed, corrupt, a
   * forwarded call (parent and child legs), a SIP-trunk call, and a conference recording with no call.
   */
  withEdgeCases?: { processingForMs?: number; corruptMp3?: Buffer }
}

/**
 * Fills the emulator with one call per sample (newest first), each recorded in two channels when a dual
 * file exists, and optionally the awkward cases a real account has. Returns the SIDs it created.
 */
export function seedEmulator(
  emulator: TwilioEmulator,
  dir: string,
  samples: SampleCall[],
  options: SeedOptions,
) {
  const spacing = (options.spacingMinutes ?? 47) * 60_000
  const created: { callSid: string; recordingSid: string | null; name: string }[] = []
  const callers = ['+14155550123', '+972501234567', '+972541112233', '+447700900123', '+14155550188']
  let index = 0
  const addCall = (
    name: string,
    overrides: Partial<EmulatedCall>,
    recording: Omit<EmulatedRecording, 'sid' | 'callSid' | 'dateCreated'> | null,
  ): EmulatedCall => {
    const startTime = new Date(options.newest.getTime() - index * spacing)
    const caller = callers[index % callers.length] as string
    const inbound = index % 3 !== 2
    const call: EmulatedCall = {
      sid: emulatedSid('CA', `${name}-${index}`),
      from: inbound ? caller : OFFICE_NUMBER,
      to: inbound ? OFFICE_NUMBER : caller,
      direction: inbound ? 'inbound' : 'outbound-api',
      status: 'completed',
      startTime,
      durationSec: recording?.durationSec ?? 0,
      ...overrides,
    }
    emulator.addCall(call)
    let recordingSid: string | null = null
    if (recording) {
      recordingSid = emulatedSid('RE', `${name}-${index}`)
      emulator.addRecording({
        ...recording,
        sid: recordingSid,
        callSid: call.sid,
        dateCreated: new Date(startTime.getTime() + recording.durationSec * 1000),
      })
    }
    created.push({ callSid: call.sid, recordingSid, name })
    index++
    return call
  }

  for (const sample of samples) {
    const mono = readFileSync(join(dir, sample.mono))
    const dual = sample.dual ? readFileSync(join(dir, sample.dual)) : undefined
    addCall(
      sample.name,
      {},
      {
        durationSec: sample.durationSec,
        channels: dual ? 2 : 1,
        status: 'completed',
        mp3: dual ?? mono,
        monoMp3: mono,
      },
    )
  }
  const edge = options.withEdgeCases
  if (edge) {
    const first = samples[0] as SampleCall
    const audio = readFileSync(join(dir, first.dual ?? first.mono))
    addCall(
      'processing',
      {},
      {
        durationSec: first.durationSec,
        channels: 2,
        status: 'completed',
        mp3: audio,
        processingUntil: Date.now() + (edge.processingForMs ?? 20_000),
      },
    )
    addCall('absent', {}, { durationSec: 12, channels: 1, status: 'absent', errorCode: 13617 })
    addCall('missed', { status: 'no-answer', durationSec: 0 }, null)
    if (edge.corruptMp3)
      addCall('corrupt', {}, { durationSec: 30, channels: 1, status: 'completed', mp3: edge.corruptMp3 })

    // TwiML <Dial> forwarded the caller to a staff mobile: two Calls at Twilio, one conversation. The
    // recording (record-from-answer-dual) is on the parent leg, as Twilio's docs say it always is.
    const last = samples.at(-1) as SampleCall
    const forwardedAudio = readFileSync(join(dir, last.dual ?? last.mono))
    const parent = addCall(
      'forwarded',
      { from: '+972528887766', to: OFFICE_NUMBER, direction: 'inbound' },
      {
        durationSec: last.durationSec,
        channels: last.dual ? 2 : 1,
        status: 'completed',
        mp3: forwardedAudio,
        source: 'DialVerb',
      },
    )
    emulator.addCall({
      sid: emulatedSid('CA', 'forwarded-child-leg'),
      parentCallSid: parent.sid,
      from: OFFICE_NUMBER,
      to: FORWARDED_TO,
      direction: 'outbound-dial',
      status: 'completed',
      startTime: new Date(parent.startTime.getTime() + 4000),
      durationSec: Math.max(1, parent.durationSec - 4),
    })
    // Through a SIP trunk from the phone network: in, to a SIP address.
    addCall(
      'sip-trunk',
      { from: '+14155550177', to: 'sip:reception@pbx.office.example', direction: 'trunking-originating' },
      { durationSec: 12, channels: 1, status: 'absent', errorCode: 13617 },
    )
  }
  return created
}

/**
 * Many ordinary finished inbound calls, each with a completed recording, one every `spacingMs` from
 * `firstStart` (benchmarks and paging tests).
 */
export function seedManyCalls(
  emulator: TwilioEmulator,
  count: number,
  options: {
    prefix: string
    firstStart: Date
    spacingMs: number
    durationSec: number
    channels: 1 | 2
    mp3?: Buffer
  },
): void {
  for (let i = 0; i < count; i++) {
    const callSid = emulatedSid('CA', `${options.prefix}-${i}`)
    const startTime = new Date(options.firstStart.getTime() + i * options.spacingMs)
    emulator.addCall({
      sid: callSid,
      from: `+1415555${String(i % 10_000).padStart(4, '0')}`,
      to: OFFICE_NUMBER,
      direction: 'inbound',
      status: 'completed',
      startTime,
      durationSec: options.durationSec,
    })
    emulator.addRecording({
      sid: emulatedSid('RE', `${options.prefix}-${i}`),
      callSid,
      dateCreated: new Date(startTime.getTime() + options.durationSec * 1000),
      durationSec: options.durationSec,
      channels: options.channels,
      status: 'completed',
      ...(options.mp3 ? { mp3: options.mp3 } : {}),
    })
  }
}

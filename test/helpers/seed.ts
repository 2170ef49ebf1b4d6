import { encodeNotice } from '../../src/shared/notice'
import { createHash } from 'node:crypto'
import { copyFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Store } from '../../src/main/store'
import type { Library } from '../../src/main/store/library'
import type { CallInput } from '../../src/main/store/calls'
import type { RecordingInput } from '../../src/main/store/recordings'
import type { TranscriptInput } from '../../src/main/store/transcripts'
import { fromTwilioStatus, type AvailabilityRecord } from '../../src/main/recordings/availability'

/** A deterministic, well-formed Twilio SID (prefix + 32 hex digits) for test data. */
export function sid(prefix: 'CA' | 'RE', seed: string | number): string {
  return prefix + createHash('md5').update(String(seed)).digest('hex')
}

export interface SeededCall {
  callSid: string
  recordingSid: string | null
}

export type SeedOptions = Partial<CallInput> & {
  recording?: Partial<RecordingInput> | null
  transcript?: TranscriptInput
}

/** What a seeded call writes: the call, its recording (with its first state) and transcript, if any. */
function seedRows(seed: string | number, options: SeedOptions) {
  const callSid = options.sid ?? sid('CA', seed)
  const call: CallInput = {
    sid: callSid,
    from: options.from ?? '+972501234567',
    to: options.to ?? '+97235550100',
    direction: options.direction ?? 'inbound',
    status: options.status ?? 'completed',
    startTime: options.startTime ?? Date.UTC(2026, 10, 1, 9, 0, 0),
    durationSec: options.durationSec ?? 75,
  }
  if (options.recording === null) return { call, recording: null }
  const twilioStatus = options.recording?.twilioStatus ?? 'completed'
  const errorCode = options.recording?.errorCode ?? null
  const recording: RecordingInput = {
    sid: options.recording?.sid ?? sid('RE', seed),
    callSid,
    twilioStatus,
    errorCode,
    channels: options.recording?.channels ?? 2,
    durationSec: options.recording?.durationSec ?? 75,
    dateCreated: options.recording?.dateCreated ?? options.startTime ?? Date.UTC(2026, 10, 1, 9, 1, 15),
  }
  return { call, recording, state: initialState(fromTwilioStatus(twilioStatus, errorCode)) }
}

export function seedCall(store: Store, seed: string | number, options: SeedOptions = {}): SeededCall {
  const { call, recording, state } = seedRows(seed, options)
  store.calls.upsertCall(call)
  if (!recording) return { callSid: call.sid, recordingSid: null }
  store.recordings.upsert(recording, state)
  if (options.transcript) store.transcripts.save(recording.sid, options.transcript)
  return { callSid: call.sid, recordingSid: recording.sid }
}

/** The same, into a running app's library (either engine). */
export async function seedCallInto(
  library: Library,
  seed: string | number,
  options: SeedOptions = {},
): Promise<SeededCall> {
  const { call, recording, state } = seedRows(seed, options)
  return library.transaction(async () => {
    await library.calls.upsertCall(call)
    if (!recording) return { callSid: call.sid, recordingSid: null }
    await library.recordings.upsert(recording, state)
    if (options.transcript) await library.transcripts.save(recording.sid, options.transcript)
    return { callSid: call.sid, recordingSid: recording.sid }
  })
}

export function transcriptOf(lines: string[], language = 'en'): TranscriptInput {
  return {
    language,
    model: 'test-model',
    segments: lines.map((text, index) => ({
      startMs: index * 4000,
      endMs: index * 4000 + 3500,
      channel: index % 2,
      speaker: index % 2 === 0 ? 'Caller' : 'Staff',
      text,
      confidence: 0.9,
      flags: [],
    })),
  }
}

/** Puts a fixture's audio in the recordings folder as a downloaded, verified, playable recording. */
export function makeRecordingReady(
  store: Store,
  recordingsDir: string,
  recordingSid: string,
  fixturePath: string,
): void {
  store.recordings.setLocalFile(recordingSid, copyAudio(recordingsDir, recordingSid, fixturePath))
  store.recordings.setAvailability(recordingSid, 'ready', null)
}

/** The same, in a running app's library. */
export async function makeRecordingReadyIn(
  library: Library,
  recordingsDir: string,
  recordingSid: string,
  fixturePath: string,
): Promise<void> {
  await library.recordings.setLocalFile(recordingSid, copyAudio(recordingsDir, recordingSid, fixturePath))
  await library.recordings.setAvailability(recordingSid, 'ready', null)
}

function copyAudio(recordingsDir: string, recordingSid: string, fixturePath: string) {
  copyFileSync(fixturePath, join(recordingsDir, `${recordingSid}.mp3`))
  return { path: `${recordingSid}.mp3`, sizeBytes: statSync(fixturePath).size, sha256: '' }
}

/** A recording's first state, as the store keeps it (the reason as a stored notice). */
function initialState(record: AvailabilityRecord): {
  availability: AvailabilityRecord['availability']
  reason: string | null
} {
  return { availability: record.availability, reason: record.reason && encodeNotice(record.reason) }
}

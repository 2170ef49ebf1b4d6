import { encodeNotice } from '../../src/shared/notice'
import { createHash } from 'node:crypto'
import { copyFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Store } from '../../src/main/store'
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

export function seedCall(
  store: Store,
  seed: string | number,
  options: Partial<CallInput> & {
    recording?: Partial<RecordingInput> | null
    transcript?: TranscriptInput
  } = {},
): SeededCall {
  const callSid = options.sid ?? sid('CA', seed)
  store.calls.upsertCall({
    sid: callSid,
    from: options.from ?? '+972501234567',
    to: options.to ?? '+97235550100',
    direction: options.direction ?? 'inbound',
    status: options.status ?? 'completed',
    startTime: options.startTime ?? Date.UTC(2026, 10, 1, 9, 0, 0),
    durationSec: options.durationSec ?? 75,
  })
  if (options.recording === null) return { callSid, recordingSid: null }
  const recordingSid = options.recording?.sid ?? sid('RE', seed)
  const twilioStatus = options.recording?.twilioStatus ?? 'completed'
  const errorCode = options.recording?.errorCode ?? null
  store.recordings.upsert(
    {
      sid: recordingSid,
      callSid,
      twilioStatus,
      errorCode,
      channels: options.recording?.channels ?? 2,
      durationSec: options.recording?.durationSec ?? 75,
      dateCreated: options.recording?.dateCreated ?? options.startTime ?? Date.UTC(2026, 10, 1, 9, 1, 15),
    },
    initialState(fromTwilioStatus(twilioStatus, errorCode)),
  )
  if (options.transcript) store.transcripts.save(recordingSid, options.transcript)
  return { callSid, recordingSid }
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
  copyFileSync(fixturePath, join(recordingsDir, `${recordingSid}.mp3`))
  store.recordings.setLocalFile(recordingSid, {
    path: `${recordingSid}.mp3`,
    sizeBytes: statSync(fixturePath).size,
    sha256: '',
  })
  store.recordings.setAvailability(recordingSid, 'ready', null)
}

/** A recording's first state, as the store keeps it (the reason as a stored notice). */
function initialState(record: AvailabilityRecord): {
  availability: AvailabilityRecord['availability']
  reason: string | null
} {
  return { availability: record.availability, reason: record.reason && encodeNotice(record.reason) }
}

import type { AvailabilityState } from '../../shared/types'
import type { CallsRepository } from './calls'
import type { Db } from './database'

export interface RecordingInput {
  sid: string
  callSid: string
  twilioStatus: string
  errorCode: number | null
  channels: 1 | 2
  durationSec: number | null
  dateCreated: number
}

export interface RecordingRow {
  id: number
  sid: string
  call_id: number
  call_sid: string
  twilio_status: string
  twilio_error_code: number | null
  channels: 1 | 2
  duration_sec: number | null
  date_created: number
  local_file: string | null
  size_bytes: number | null
  sha256: string | null
  availability: AvailabilityState
  availability_reason: string | null
}

/** A recording that still has audio on disk, with the time of its call (for retention). */
export interface StoredAudio {
  sid: string
  local_file: string
}

const WITH_CALL_SID = `SELECT r.*, c.sid AS call_sid FROM recordings r JOIN calls c ON c.id = r.call_id`

/** Recordings: Twilio's facts about each one, where its audio is on disk, and its availability state. */
export class RecordingsRepository {
  private readonly upsertStmt
  private readonly bySid
  private readonly latestOfConversation
  private readonly setAvailabilityStmt
  private readonly setFileStmt
  private readonly audioOfCallsBefore

  constructor(
    db: Db,
    private readonly calls: CallsRepository,
  ) {
    this.upsertStmt = db.prepare(
      `INSERT INTO recordings (sid, call_id, conversation_id, twilio_status, twilio_error_code, channels,
                               duration_sec, date_created, availability, availability_reason, updated_at)
       VALUES (@sid, @callId, @conversationId, @twilioStatus, @errorCode, @channels, @durationSec, @dateCreated,
               @availability, @reason, @now)
       ON CONFLICT (sid) DO UPDATE SET twilio_status = excluded.twilio_status,
         twilio_error_code = excluded.twilio_error_code, channels = excluded.channels,
         duration_sec = excluded.duration_sec, updated_at = excluded.updated_at`,
    )
    this.bySid = db.prepare(`${WITH_CALL_SID} WHERE r.sid = ?`)
    this.latestOfConversation = db.prepare(
      `${WITH_CALL_SID} WHERE r.conversation_id = ? ORDER BY r.date_created DESC, r.id DESC LIMIT 1`,
    )
    this.setAvailabilityStmt = db.prepare(
      `UPDATE recordings SET availability = ?, availability_reason = ?, updated_at = ? WHERE sid = ?`,
    )
    this.setFileStmt = db.prepare(
      `UPDATE recordings SET local_file = ?, size_bytes = ?, sha256 = ?, updated_at = ? WHERE sid = ?`,
    )
    this.audioOfCallsBefore = db.prepare(
      `SELECT r.sid, r.local_file FROM recordings r JOIN calls c ON c.id = r.call_id
       WHERE r.local_file IS NOT NULL AND c.start_time < ?`,
    )
  }

  /**
   * Inserts or updates a recording's Twilio facts by SID. Availability is set only on insert: after that
   * it belongs to the availability state machine (src/main/recordings).
   */
  upsert(
    recording: RecordingInput,
    initial: { availability: AvailabilityState; reason: string | null },
    now = Date.now(),
  ): RecordingRow {
    const call = this.calls.getCall(recording.callSid)
    if (!call) throw new Error(`recording ${recording.sid} belongs to unknown call ${recording.callSid}`)
    this.upsertStmt.run({
      ...recording,
      callId: call.id,
      conversationId: call.conversation_id ?? call.id,
      availability: initial.availability,
      reason: initial.reason,
      now,
    })
    return this.get(recording.sid) as RecordingRow
  }

  get(sid: string): RecordingRow | undefined {
    return this.bySid.get(sid) as RecordingRow | undefined
  }

  /** The newest recording made on any leg of a conversation. */
  latestOf(conversationId: number): RecordingRow | undefined {
    return this.latestOfConversation.get(conversationId) as RecordingRow | undefined
  }

  setAvailability(
    sid: string,
    availability: AvailabilityState,
    reason: string | null,
    now = Date.now(),
  ): void {
    this.setAvailabilityStmt.run(availability, reason, now, sid)
  }

  setLocalFile(
    sid: string,
    file: { path: string; sizeBytes: number; sha256: string } | null,
    now = Date.now(),
  ): void {
    this.setFileStmt.run(file?.path ?? null, file?.sizeBytes ?? null, file?.sha256 ?? null, now, sid)
  }

  /** Recordings whose audio is on disk and whose call started before `time`. */
  withAudioOfCallsBefore(time: number): StoredAudio[] {
    return this.audioOfCallsBefore.all(time) as StoredAudio[]
  }
}

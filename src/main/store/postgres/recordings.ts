import type { AvailabilityState } from '../../../shared/types'
import type { RecordingInput, RecordingRow, StoredAudio } from '../recordings'
import type { PgCallsRepository } from './calls'
import type { Sql } from './connection'

const WITH_CALL_SID = 'SELECT r.*, c.sid AS call_sid FROM recordings r JOIN calls c ON c.id = r.call_id'

/** The office library's recordings (PostgreSQL): the twin of src/main/store/recordings.ts, same rules. */
export class PgRecordingsRepository {
  constructor(
    private readonly db: Sql,
    private readonly calls: PgCallsRepository,
  ) {}

  /** Inserts or updates a recording's Twilio facts by SID; availability is set only on insert. */
  async upsert(
    recording: RecordingInput,
    initial: { availability: AvailabilityState; reason: string | null },
    now = Date.now(),
  ): Promise<RecordingRow> {
    const call = await this.calls.getCall(recording.callSid)
    if (!call) throw new Error(`recording ${recording.sid} belongs to unknown call ${recording.callSid}`)
    await this.db.query(
      `INSERT INTO recordings (sid, call_id, conversation_id, twilio_status, twilio_error_code, channels,
                               duration_sec, date_created, availability, availability_reason, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (sid) DO UPDATE SET twilio_status = excluded.twilio_status,
         twilio_error_code = excluded.twilio_error_code, channels = excluded.channels,
         duration_sec = excluded.duration_sec, updated_at = excluded.updated_at`,
      [
        recording.sid,
        call.id,
        call.conversation_id ?? call.id,
        recording.twilioStatus,
        recording.errorCode,
        recording.channels,
        recording.durationSec,
        recording.dateCreated,
        initial.availability,
        initial.reason,
        now,
      ],
    )
    return (await this.get(recording.sid)) as RecordingRow
  }

  async get(sid: string): Promise<RecordingRow | undefined> {
    return (await this.db.query<RecordingRow>(`${WITH_CALL_SID} WHERE r.sid = $1`, [sid])).rows[0]
  }

  /** The newest recording made on any leg of a conversation. */
  async latestOf(conversationId: number): Promise<RecordingRow | undefined> {
    const { rows } = await this.db.query<RecordingRow>(
      `${WITH_CALL_SID} WHERE r.conversation_id = $1 ORDER BY r.date_created DESC, r.id DESC LIMIT 1`,
      [conversationId],
    )
    return rows[0]
  }

  async setAvailability(
    sid: string,
    availability: AvailabilityState,
    reason: string | null,
    now = Date.now(),
  ) {
    await this.db.query(
      'UPDATE recordings SET availability = $1, availability_reason = $2, updated_at = $3 WHERE sid = $4',
      [availability, reason, now, sid],
    )
  }

  async setLocalFile(
    sid: string,
    file: { path: string; sizeBytes: number; sha256: string } | null,
    now = Date.now(),
  ): Promise<void> {
    await this.db.query(
      'UPDATE recordings SET local_file = $1, size_bytes = $2, sha256 = $3, updated_at = $4 WHERE sid = $5',
      [file?.path ?? null, file?.sizeBytes ?? null, file?.sha256 ?? null, now, sid],
    )
  }

  /** Recordings whose audio is on disk and whose call started before `time`. */
  async withAudioOfCallsBefore(time: number): Promise<StoredAudio[]> {
    const { rows } = await this.db.query<StoredAudio>(
      `SELECT r.sid, r.local_file FROM recordings r JOIN calls c ON c.id = r.call_id
       WHERE r.local_file IS NOT NULL AND c.start_time < $1`,
      [time],
    )
    return rows
  }
}

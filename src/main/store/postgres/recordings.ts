import type { AvailabilityState } from '../../../shared/types'
import type { RecordingInput } from '../recordings'
import type { PgCallsRepository, Sql } from './calls'

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
  ): Promise<void> {
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
}

import type { Role } from '../../../shared/access'
import type { CallRow } from '../calls'
import type { Store } from '../index'
import type { RecordingRow } from '../recordings'
import type { ReviewRow } from '../reviews'
import type { SettingKey } from '../settings-schema'
import { summaryView, type SummaryDetails, type SummaryRow } from '../summaries'
import type { PendingRow } from '../twilio-pending'
import type { PgLibrary } from './index'

export interface MovedLibrary {
  calls: number
  recordings: number
  transcripts: number
  people: number
  sessions: number
  /** Recordings whose work was not finished (the jobs are not moved): to be queued again. */
  unfinished: { transcription: string[]; summary: string[] }
}

/** Whether a library holds anything an office would miss: calls, or people who can sign in. */
export async function officeLibraryIsEmpty(library: PgLibrary): Promise<boolean> {
  const { rows } = await library.sql.query<{ used: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM calls) OR EXISTS (SELECT 1 FROM office_people) AS used',
  )
  return !rows[0]?.used
}

export function sqliteLibraryIsEmpty(store: Store): boolean {
  return !store.db
    .prepare('SELECT EXISTS (SELECT 1 FROM calls) OR EXISTS (SELECT 1 FROM office_people)')
    .pluck()
    .get()
}

/**
 * Moves an office library kept in the server's SQLite file (before the office had PostgreSQL) into its
 * empty PostgreSQL library, in one transaction: calls and conversations, recordings and where their audio
 * is, transcripts, summaries, reviews, settings, sync cursors, Twilio's unfinished items, people and their
 * signed-in devices (desks stay paired). Jobs are not moved: what they would have done is returned.
 */
export function moveFromSqlite(store: Store, library: PgLibrary): Promise<MovedLibrary> {
  const rows = <T>(sql: string, ...params: unknown[]): T[] => store.db.prepare(sql).all(...params) as T[]
  return library.transaction(async () => {
    const moved: MovedLibrary = {
      calls: 0,
      recordings: 0,
      transcripts: 0,
      people: 0,
      sessions: 0,
      unfinished: { transcription: [], summary: [] },
    }
    const calls = rows<CallRow & { updated_at: number }>('SELECT * FROM calls ORDER BY start_time, id')
    for (const call of calls) {
      await library.calls.upsertCall(
        {
          sid: call.sid,
          from: call.from_number,
          to: call.to_number,
          direction: call.direction,
          status: call.status,
          startTime: call.start_time,
          durationSec: call.duration_sec,
          parentCallSid: call.parent_call_sid,
        },
        call.updated_at,
      )
      moved.calls++
    }
    const recordings = rows<RecordingRow & { updated_at: number }>(
      'SELECT r.*, c.sid AS call_sid FROM recordings r JOIN calls c ON c.id = r.call_id ORDER BY r.id',
    )
    for (const recording of recordings) {
      await library.recordings.upsert(
        {
          sid: recording.sid,
          callSid: recording.call_sid,
          twilioStatus: recording.twilio_status,
          errorCode: recording.twilio_error_code,
          channels: recording.channels,
          durationSec: recording.duration_sec,
          dateCreated: recording.date_created,
        },
        { availability: recording.availability, reason: recording.availability_reason },
        recording.updated_at,
      )
      if (recording.local_file)
        await library.recordings.setLocalFile(recording.sid, {
          path: recording.local_file,
          sizeBytes: recording.size_bytes ?? 0,
          sha256: recording.sha256 ?? '',
        })
      moved.recordings++
      const transcript = store.transcripts.ofRecording(recording.id)
      if (!transcript) {
        if (recording.availability === 'ready') moved.unfinished.transcription.push(recording.sid)
        continue
      }
      const stored = await library.transcripts.save(
        recording.sid,
        {
          language: transcript.language,
          model: transcript.model,
          segments: transcript.segments.map(({ index: _index, ...segment }) => segment),
          notes: transcript.notes,
        },
        transcript.createdAt,
      )
      moved.transcripts++
      const summaries = rows<SummaryRow & { prompt_hash: string }>(
        'SELECT * FROM summaries WHERE transcript_id = ? ORDER BY created_at, id',
        transcript.id,
      )
      if (summaries.length === 0) moved.unfinished.summary.push(recording.sid)
      for (const row of summaries) {
        const { createdAt, ...summary } = summaryView({
          ...row,
          follow_up: row.follow_up === 1,
          details: JSON.parse(row.details) as SummaryDetails,
        })
        await library.summaries.save(stored, row.prompt_hash, summary, createdAt)
      }
    }
    for (const review of rows<ReviewRow & { sid: string }>(
      'SELECT v.*, c.sid FROM call_reviews v JOIN calls c ON c.id = v.call_id',
    )) {
      const conversation = await library.calls.conversationOf(review.sid)
      if (!conversation) continue
      const followUp = review.follow_up === null ? null : Boolean(review.follow_up)
      await library.reviews.change(
        conversation.id,
        { followUp, note: review.note, assignee: review.assignee },
        review.updated_by,
        review.updated_at,
      )
    }
    for (const { key } of rows<{ key: SettingKey }>('SELECT key FROM settings'))
      await library.settings.set(key, store.settings.get(key))
    for (const state of rows<{
      source: string
      cursor: string | null
      last_ok_at: number | null
      last_error: string | null
      updated_at: number
    }>('SELECT * FROM sync_state'))
      await library.syncState.set(
        state.source,
        { cursor: state.cursor, lastOkAt: state.last_ok_at, lastError: state.last_error },
        state.updated_at,
      )
    for (const pending of rows<PendingRow>('SELECT * FROM twilio_pending'))
      await library.twilioPending.add(pending.kind, pending.sid, pending.first_seen_at, pending.next_check_at)
    const personIds = new Map<number, number>()
    for (const person of rows<{ id: number; name: string; role: Role; created_at: number }>(
      'SELECT * FROM office_people',
    )) {
      const inserted = await library.sql.query<{ id: number }>(
        'INSERT INTO office_people (name, role, created_at) VALUES ($1, $2, $3) RETURNING id',
        [person.name, person.role, person.created_at],
      )
      personIds.set(person.id, inserted.rows[0]!.id)
      moved.people++
    }
    for (const session of rows<{
      token_hash: string
      person_id: number
      device: string
      created_at: number
      last_seen_at: number | null
      revoked_at: number | null
    }>('SELECT * FROM office_sessions')) {
      await library.sql.query(
        `INSERT INTO office_sessions (token_hash, person_id, device, created_at, last_seen_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          session.token_hash,
          personIds.get(session.person_id),
          session.device,
          session.created_at,
          session.last_seen_at,
          session.revoked_at,
        ],
      )
      moved.sessions++
    }
    return moved
  })
}

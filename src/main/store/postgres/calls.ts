import type { Sql } from './connection'
import type { CallListItem, CallListPage } from '../../../shared/types'
import {
  decodeCursor,
  encodeCursor,
  firstSearchBase,
  OUTBOUND_DIRECTIONS,
  simpleDirection,
  toListItem,
  type CallInput,
  type CallRow,
  type ListFilters,
  type ListRow,
} from '../calls'
import { SEARCH_BLOCK } from '../search'
import type { PgSearchIndex } from './search'

/** A person's flag wins over the summary's suggestion. */
const FOLLOW_UP = 'COALESCE(v.follow_up, s.follow_up, false)'

// One row per conversation: the newest recording made on any of its legs, its transcript and that
// transcript's newest summary (the SQLite list's columns, flags as 0/1 for the shared mapping).
const LIST = `
  SELECT c.id, c.sid, c.from_number, c.to_number, c.direction, c.start_time, c.duration_sec,
    (SELECT leg.to_number FROM calls leg WHERE leg.conversation_id = c.id ORDER BY leg.start_time, leg.id LIMIT 1)
      AS answered_by,
    r.sid AS recording_sid, COALESCE(r.availability, 'missing') AS availability,
    (t.id IS NOT NULL)::int AS has_transcript, (s.id IS NOT NULL)::int AS has_summary,
    ${FOLLOW_UP}::int AS follow_up, v.assignee, (COALESCE(v.note, '') <> '')::int AS has_note
  FROM calls c
  LEFT JOIN LATERAL (SELECT id, sid, availability FROM recordings WHERE conversation_id = c.id
                     ORDER BY date_created DESC, id DESC LIMIT 1) r ON true
  LEFT JOIN transcripts t ON t.recording_id = r.id
  LEFT JOIN LATERAL (SELECT id, follow_up FROM summaries WHERE transcript_id = t.id
                     ORDER BY created_at DESC, id DESC LIMIT 1) s ON true
  LEFT JOIN call_reviews v ON v.call_id = c.id`

/** The office library's calls (PostgreSQL): the twin of src/main/store/calls.ts, same rules. */
export class PgCallsRepository {
  constructor(
    private readonly db: Sql,
    private readonly search: PgSearchIndex,
  ) {}

  /**
   * Inserts or updates a call by SID; safe to repeat, in any order: a child leg that arrives before its
   * parent stands alone until the parent arrives and adopts it (with its recordings). Run it in a
   * transaction (the steps belong together).
   */
  async upsertCall(call: CallInput, now = Date.now()): Promise<CallRow> {
    const otherParty = simpleDirection(call.direction) === 'inbound' ? call.from : call.to
    const parentCallSid = call.parentCallSid ?? null
    const parent = parentCallSid ? await this.getCall(parentCallSid) : undefined
    const conversationId = parent ? (parent.conversation_id ?? parent.id) : null
    const values = [
      call.sid,
      call.from,
      call.to,
      call.direction,
      call.status,
      call.startTime,
      call.durationSec,
    ]
    if (await this.getCall(call.sid)) {
      await this.db.query(
        `UPDATE calls SET from_number = $2, to_number = $3, direction = $4, status = $5, start_time = $6,
           duration_sec = $7, other_party = $8, parent_call_sid = $9, conversation_id = $10, updated_at = $11
         WHERE sid = $1`,
        [...values, otherParty, parentCallSid, conversationId, now],
      )
    } else {
      await this.db.query(
        `INSERT INTO calls (sid, from_number, to_number, direction, status, start_time, duration_sec, other_party,
                            parent_call_sid, conversation_id, search_base, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
        [
          ...values,
          otherParty,
          parentCallSid,
          conversationId,
          await this.freeSearchBase(call.startTime),
          now,
        ],
      )
    }
    const row = (await this.getCall(call.sid)) as CallRow
    const conversation = row.conversation_id ?? row.id
    await this.db.query('UPDATE calls SET conversation_id = $1 WHERE parent_call_sid = $2', [
      conversation,
      row.sid,
    ])
    await this.db.query(
      `UPDATE recordings SET conversation_id = $1
       WHERE (call_id = $2 OR call_id IN (SELECT id FROM calls WHERE conversation_id = $1))
         AND conversation_id IS DISTINCT FROM $1`,
      [conversation, row.id],
    )
    await this.adoptLegReview(conversation)
    await this.search.indexNumbers(row.search_base, row.id, [call.from, call.to])
    return row
  }

  /** Moves a leg's review into its conversation with its note's words (SQLite's rule, calls.ts). */
  private async adoptLegReview(conversation: number): Promise<void> {
    const { rows } = await this.db.query<{ leg: number; note: string; base: number }>(
      `SELECT r.call_id AS leg, r.note, leg.search_base AS base FROM call_reviews r
       JOIN calls leg ON leg.id = r.call_id
       WHERE leg.conversation_id = $1 AND NOT EXISTS (SELECT 1 FROM call_reviews WHERE call_id = $1)
       ORDER BY r.updated_at DESC LIMIT 1`,
      [conversation],
    )
    const adopted = rows[0]
    if (!adopted) return
    await this.db.query('UPDATE call_reviews SET call_id = $1 WHERE call_id = $2', [
      conversation,
      adopted.leg,
    ])
    if (adopted.note === '') return
    await this.search.indexNote(adopted.base, adopted.leg, '')
    const { rows: calls } = await this.db.query<{ search_base: number }>(
      'SELECT search_base FROM calls WHERE id = $1',
      [conversation],
    )
    await this.search.indexNote(calls[0]!.search_base, conversation, adopted.note)
  }

  async getCall(sid: string): Promise<CallRow | undefined> {
    const { rows } = await this.db.query<CallRow>('SELECT * FROM calls WHERE sid = $1', [sid])
    return rows[0]
  }

  /** The conversation a call (leg) belongs to: its parent leg's row, or the call itself. */
  async conversationOf(sid: string): Promise<CallRow | undefined> {
    const call = await this.getCall(sid)
    if (!call || call.conversation_id === null) return call
    const { rows } = await this.db.query<CallRow>('SELECT * FROM calls WHERE id = $1', [call.conversation_id])
    return rows[0] ?? call
  }

  async list(filters: ListFilters): Promise<CallListPage> {
    const where: string[] = ['c.conversation_id IS NULL']
    const params: unknown[] = []
    const param = (value: unknown) => `$${params.push(value)}`
    if (filters.cursor) {
      const [time, id] = decodeCursor(filters.cursor)
      where.push(`(c.start_time, c.id) < (${param(time)}, ${param(id)})`)
    }
    if (filters.since !== undefined) where.push(`c.start_time >= ${param(filters.since)}`)
    if (filters.until !== undefined) where.push(`c.start_time < ${param(filters.until)}`)
    if (filters.direction)
      where.push(
        `${filters.direction === 'outbound' ? '' : 'NOT '}(c.direction = ANY(${param(OUTBOUND_DIRECTIONS)}))`,
      )
    if (filters.recording) where.push(`COALESCE(r.availability, 'missing') = ${param(filters.recording)}`)
    if (filters.followUp !== undefined) where.push(`${FOLLOW_UP} = ${param(filters.followUp)}`)
    const { rows } = await this.db.query<ListRow>(
      `${LIST} WHERE ${where.join(' AND ')} ORDER BY c.start_time DESC, c.id DESC LIMIT ${param(filters.limit + 1)}`,
      params,
    )
    const page = rows.slice(0, filters.limit)
    const last = page.at(-1)
    return {
      items: page.map(toListItem),
      nextCursor: rows.length > filters.limit && last ? encodeCursor(last) : null,
    }
  }

  /** Who answered a conversation: the number its first forwarded leg went to, or null. */
  async answeredBy(conversationId: number): Promise<string | null> {
    const { rows } = await this.db.query<{ to_number: string }>(
      'SELECT to_number FROM calls WHERE conversation_id = $1 ORDER BY start_time, id LIMIT 1',
      [conversationId],
    )
    return rows[0]?.to_number ?? null
  }

  /**
   * Removes a call with its recordings, transcripts and summaries (and their search rows). Returns the
   * local files its recordings had, for the caller to delete.
   */
  async deleteCall(sid: string): Promise<string[]> {
    const call = await this.getCall(sid)
    if (!call) return []
    const { rows } = await this.db.query<{ local_file: string }>(
      'SELECT local_file FROM recordings WHERE call_id = $1 AND local_file IS NOT NULL',
      [call.id],
    )
    await this.search.removeCall(call.search_base)
    await this.db.query('DELETE FROM calls WHERE id = $1', [call.id])
    return rows.map((row) => row.local_file)
  }

  /** Every call with the same outside number, newest first. */
  async historyOf(number: string, limit: number): Promise<CallListItem[]> {
    const { rows } = await this.db.query<ListRow>(
      `${LIST} WHERE c.other_party = $1 AND c.conversation_id IS NULL ORDER BY c.start_time DESC, c.id DESC LIMIT $2`,
      [number, limit],
    )
    return rows.map(toListItem)
  }

  private async freeSearchBase(startTime: number): Promise<number> {
    let base = firstSearchBase(startTime)
    while ((await this.db.query('SELECT 1 FROM calls WHERE search_base = $1', [base])).rowCount)
      base += SEARCH_BLOCK
    return base
  }
}

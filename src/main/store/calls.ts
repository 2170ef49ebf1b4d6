import type { Statement } from 'better-sqlite3'
import type { Db } from './database'
import type { AvailabilityState, CallDirection, CallListItem, CallListPage } from '../../shared/types'
import { SEARCH_BLOCK, type SearchIndex } from './search'

export interface CallInput {
  sid: string
  from: string
  to: string
  /** Twilio's direction: inbound, outbound-api, outbound-dial, trunking-terminating, trunking-originating. */
  direction: string
  status: string
  startTime: number
  durationSec: number | null
  /** The leg that created this one (a <Dial> forward): this call is part of that conversation. */
  parentCallSid?: string | null
}

export interface CallRow {
  id: number
  sid: string
  from_number: string
  to_number: string
  direction: string
  status: string
  start_time: number
  duration_sec: number | null
  other_party: string
  search_base: number
  parent_call_sid: string | null
  conversation_id: number | null
}

export interface ListFilters {
  cursor?: string | undefined
  limit: number
  since?: number | undefined
  until?: number | undefined
  direction?: CallDirection | undefined
  recording?: AvailabilityState | undefined
  followUp?: boolean | undefined
}

/** Twilio: trunking-terminating goes out to the phone network; trunking-originating comes in from it. */
export const OUTBOUND_DIRECTIONS = ['outbound-api', 'outbound-dial', 'trunking-terminating']

/** Where a call's search block starts if no other call of the same second has taken it (newer = higher). */
export const firstSearchBase = (startTime: number): number => Math.floor(startTime / 1000) * SEARCH_BLOCK

export function simpleDirection(twilioDirection: string): CallDirection {
  return OUTBOUND_DIRECTIONS.includes(twilioDirection) ? 'outbound' : 'inbound'
}

/** Who answered a forwarded conversation: the `to` of its first child leg (`@conversation` is its id). */
const ANSWERED_BY = `SELECT leg.to_number FROM calls leg WHERE leg.conversation_id = @conversation
  ORDER BY leg.start_time, leg.id LIMIT 1`

/** A person's flag wins over the summary's suggestion (both libraries, flags as 0/1 or booleans). */
const FOLLOW_UP = 'COALESCE(v.follow_up, s.follow_up, 0)'

// One row per conversation.
const LIST_COLUMNS = `
  c.id, c.sid, c.from_number, c.to_number, c.direction, c.start_time, c.duration_sec,
  (${ANSWERED_BY.replace('@conversation', 'c.id')}) AS answered_by,
  r.sid AS recording_sid, COALESCE(r.availability, 'missing') AS availability,
  t.id IS NOT NULL AS has_transcript, s.id IS NOT NULL AS has_summary, ${FOLLOW_UP} AS follow_up,
  v.assignee, COALESCE(v.note, '') <> '' AS has_note`

// The newest recording of each conversation (made on any of its legs), its transcript and that
// transcript's newest summary.
const LIST_JOINS = `
  LEFT JOIN recordings r ON r.id = (
    SELECT id FROM recordings WHERE conversation_id = c.id ORDER BY date_created DESC, id DESC LIMIT 1)
  LEFT JOIN transcripts t ON t.recording_id = r.id
  LEFT JOIN summaries s ON s.id = (
    SELECT id FROM summaries WHERE transcript_id = t.id ORDER BY created_at DESC, id DESC LIMIT 1)
  LEFT JOIN call_reviews v ON v.call_id = c.id`

/** A call-list row as either library's query returns it (flags as 0/1). */
export interface ListRow {
  id: number
  sid: string
  from_number: string
  to_number: string
  direction: string
  start_time: number
  duration_sec: number | null
  answered_by: string | null
  recording_sid: string | null
  availability: AvailabilityState
  has_transcript: number
  has_summary: number
  follow_up: number
  assignee: string | null
  has_note: number
}

export function toListItem(row: ListRow): CallListItem {
  return {
    callSid: row.sid,
    from: row.from_number,
    to: row.to_number,
    direction: simpleDirection(row.direction),
    startedAt: row.start_time,
    durationSec: row.duration_sec,
    answeredBy: row.answered_by,
    recordingSid: row.recording_sid,
    recording: row.availability,
    hasTranscript: row.has_transcript === 1,
    hasSummary: row.has_summary === 1,
    followUp: row.follow_up === 1,
    assignee: row.assignee,
    hasNote: row.has_note === 1,
  }
}

export const encodeCursor = (row: ListRow): string => `${row.start_time}.${row.id}`
export function decodeCursor(cursor: string): [number, number] {
  const match = /^(\d+)\.(\d+)$/.exec(cursor)
  if (!match) throw new RangeError('cursor is not one this app handed out')
  return [Number(match[1]), Number(match[2])]
}

/** Calls and recordings: the one write path for both, and the queries behind the call list. */
export class CallsRepository {
  private readonly insertCall
  private readonly updateCall
  private readonly adoptLegs
  private readonly moveLegRecordings
  private readonly moveChildRecordings
  private readonly legReviewToAdopt
  private readonly moveReview
  private readonly callBySid
  private readonly searchBaseTaken
  private readonly callById
  private readonly answeredByStmt
  private readonly history
  private readonly localFilesOfCall
  private readonly deleteCallStmt
  /** Filter combinations are few, so each one's statement is prepared once. */
  private readonly listStatements = new Map<string, Statement>()

  constructor(
    private readonly db: Db,
    private readonly search: SearchIndex,
  ) {
    this.insertCall = db.prepare(
      `INSERT INTO calls (sid, from_number, to_number, direction, status, start_time, duration_sec, other_party,
                          parent_call_sid, conversation_id, search_base, created_at, updated_at)
       VALUES (@sid, @from, @to, @direction, @status, @startTime, @durationSec, @otherParty, @parentCallSid,
               @conversationId, @searchBase, @now, @now)`,
    )
    this.updateCall = db.prepare(
      `UPDATE calls SET from_number = @from, to_number = @to, direction = @direction, status = @status,
         start_time = @startTime, duration_sec = @durationSec, other_party = @otherParty,
         parent_call_sid = @parentCallSid, conversation_id = @conversationId, updated_at = @now
       WHERE sid = @sid`,
    )
    this.adoptLegs = db.prepare(`UPDATE calls SET conversation_id = ? WHERE parent_call_sid = ?`)
    // Two statements, each on an index (an OR of the two would scan every recording).
    this.moveLegRecordings = db.prepare(
      `UPDATE recordings SET conversation_id = @conversation
       WHERE call_id = @leg AND conversation_id IS NOT @conversation`,
    )
    this.moveChildRecordings = db.prepare(
      `UPDATE recordings SET conversation_id = @conversation
       WHERE call_id IN (SELECT id FROM calls WHERE conversation_id = @conversation)
         AND conversation_id IS NOT @conversation`,
    )
    // A review made on a leg shown alone (its parent not yet synced) follows it into the conversation,
    // unless the conversation has its own (the newest, if several legs were reviewed).
    this.legReviewToAdopt = db.prepare(
      `SELECT r.call_id AS leg, r.note, leg.search_base AS base FROM call_reviews r
       JOIN calls leg ON leg.id = r.call_id
       WHERE leg.conversation_id = @conversation
         AND NOT EXISTS (SELECT 1 FROM call_reviews WHERE call_id = @conversation)
       ORDER BY r.updated_at DESC LIMIT 1`,
    )
    this.moveReview = db.prepare(`UPDATE call_reviews SET call_id = @conversation WHERE call_id = @leg`)
    this.callBySid = db.prepare(`SELECT * FROM calls WHERE sid = ?`)
    this.searchBaseTaken = db.prepare(`SELECT 1 FROM calls WHERE search_base = ?`)
    this.callById = db.prepare(`SELECT * FROM calls WHERE id = ?`)
    this.answeredByStmt = db.prepare(ANSWERED_BY).pluck()
    this.localFilesOfCall = db
      .prepare(`SELECT local_file FROM recordings WHERE call_id = ? AND local_file IS NOT NULL`)
      .pluck()
    this.deleteCallStmt = db.prepare(`DELETE FROM calls WHERE id = ?`)
    this.history = db.prepare(
      `SELECT ${LIST_COLUMNS} FROM calls c ${LIST_JOINS}
       WHERE c.other_party = ? AND c.conversation_id IS NULL ORDER BY c.start_time DESC, c.id DESC LIMIT ?`,
    )
  }

  /**
   * Inserts or updates a call by SID; safe to repeat (sync overlaps rely on it), in any order: a child
   * leg that arrives before its parent stands alone until the parent arrives and adopts it (with its
   * recordings). Returns the row.
   */
  upsertCall(call: CallInput, now = Date.now()): CallRow {
    const otherParty = simpleDirection(call.direction) === 'inbound' ? call.from : call.to
    const parentCallSid = call.parentCallSid ?? null
    const parent = parentCallSid ? this.getCall(parentCallSid) : undefined
    const conversationId = parent ? (parent.conversation_id ?? parent.id) : null
    const params = { ...call, parentCallSid, conversationId, otherParty, now }
    const existing = this.callBySid.get(call.sid) as CallRow | undefined
    if (existing) {
      this.updateCall.run(params)
    } else {
      this.insertCall.run({ ...params, searchBase: this.freeSearchBase(call.startTime) })
    }
    const row = this.callBySid.get(call.sid) as CallRow
    const conversation = row.conversation_id ?? row.id
    this.adoptLegs.run(conversation, row.sid)
    this.moveLegRecordings.run({ conversation, leg: row.id })
    this.moveChildRecordings.run({ conversation })
    this.adoptLegReview(conversation)
    this.search.indexNumbers(row.search_base, row.id, [call.from, call.to])
    return row
  }

  /** Moves a leg's review into its conversation, its note's words with it (see legReviewToAdopt). */
  private adoptLegReview(conversation: number): void {
    const adopted = this.legReviewToAdopt.get({ conversation }) as
      | { leg: number; note: string; base: number }
      | undefined
    if (!adopted) return
    this.moveReview.run({ conversation, leg: adopted.leg })
    if (adopted.note === '') return
    this.search.indexNote(adopted.base, adopted.leg, '')
    const base = (this.callById.get(conversation) as CallRow).search_base
    this.search.indexNote(base, conversation, adopted.note)
  }

  getCall(sid: string): CallRow | undefined {
    return this.callBySid.get(sid) as CallRow | undefined
  }

  /** The conversation a call (leg) belongs to: its parent leg's row, or the call itself. */
  conversationOf(sid: string): CallRow | undefined {
    const call = this.getCall(sid)
    if (!call || call.conversation_id === null) return call
    return (this.callById.get(call.conversation_id) as CallRow | undefined) ?? call
  }

  /** Who answered a forwarded conversation: the `to` of its first child leg. */
  answeredBy(conversationId: number): string | null {
    return (this.answeredByStmt.get({ conversation: conversationId }) as string | undefined) ?? null
  }

  list(filters: ListFilters): CallListPage {
    const where: string[] = ['c.conversation_id IS NULL']
    const params: (string | number)[] = []
    if (filters.cursor) {
      const [time, id] = decodeCursor(filters.cursor)
      where.push('(c.start_time, c.id) < (?, ?)')
      params.push(time, id)
    }
    if (filters.since !== undefined) {
      where.push('c.start_time >= ?')
      params.push(filters.since)
    }
    if (filters.until !== undefined) {
      where.push('c.start_time < ?')
      params.push(filters.until)
    }
    if (filters.direction) {
      const outbound = OUTBOUND_DIRECTIONS.map(() => '?').join(', ')
      where.push(
        filters.direction === 'outbound'
          ? `c.direction IN (${outbound})`
          : `c.direction NOT IN (${outbound})`,
      )
      params.push(...OUTBOUND_DIRECTIONS)
    }
    if (filters.recording) {
      where.push(`COALESCE(r.availability, 'missing') = ?`)
      params.push(filters.recording)
    }
    if (filters.followUp !== undefined) {
      where.push(`${FOLLOW_UP} = ?`)
      params.push(filters.followUp ? 1 : 0)
    }
    const sql = `SELECT ${LIST_COLUMNS} FROM calls c ${LIST_JOINS}
      WHERE ${where.join(' AND ')}
      ORDER BY c.start_time DESC, c.id DESC LIMIT ?`
    let statement = this.listStatements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.listStatements.set(sql, statement)
    }
    const rows = statement.all(...params, filters.limit + 1) as ListRow[]
    const page = rows.slice(0, filters.limit)
    const last = page.at(-1)
    return {
      items: page.map(toListItem),
      nextCursor: rows.length > filters.limit && last ? encodeCursor(last) : null,
    }
  }

  /** Every call with the same outside number, newest first. */
  historyOf(number: string, limit: number): CallListItem[] {
    return (this.history.all(number, limit) as ListRow[]).map(toListItem)
  }

  /**
   * Removes a call with its recordings, transcripts and summaries (and their search rows). Returns the
   * local files its recordings had, for the caller to delete.
   */
  deleteCall(sid: string): string[] {
    const call = this.getCall(sid)
    if (!call) return []
    const files = this.localFilesOfCall.all(call.id) as string[]
    this.search.removeCall(call.search_base)
    this.deleteCallStmt.run(call.id)
    return files
  }

  /** A unique, time-ordered rowid block for the call in the search index (see the migration). */
  private freeSearchBase(startTime: number): number {
    let base = firstSearchBase(startTime)
    while (this.searchBaseTaken.get(base)) base += SEARCH_BLOCK
    return base
  }
}

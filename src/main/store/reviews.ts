import type { CallReview } from '../../shared/types'
import type { Db } from './database'
import type { SearchIndex } from './search'

/** A change to a review: only the fields given change (a null follow-up hands the flag back to the summary). */
export interface ReviewChange {
  followUp?: boolean | null | undefined
  note?: string | undefined
  assignee?: string | null | undefined
}

export interface ReviewRow {
  follow_up: number | boolean | null
  note: string
  assignee: string | null
  updated_at: number
  updated_by: string | null
}

export const NO_REVIEW: CallReview = {
  followUp: null,
  note: '',
  assignee: null,
  updatedAt: null,
  updatedBy: null,
}

/** A stored review as both libraries read it (SQLite's 0/1 or PostgreSQL's boolean). */
export function toReview(row: ReviewRow | undefined): CallReview {
  if (!row) return NO_REVIEW
  return {
    followUp: row.follow_up === null ? null : Boolean(row.follow_up),
    note: row.note,
    assignee: row.assignee,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  }
}

/** The review after a change: what was there, with the given fields replaced. */
export function applyChange(current: CallReview, change: ReviewChange): CallReview {
  return {
    followUp: change.followUp === undefined ? current.followUp : change.followUp,
    note: change.note ?? current.note,
    assignee: change.assignee === undefined ? current.assignee : change.assignee,
    updatedAt: current.updatedAt,
    updatedBy: current.updatedBy,
  }
}

/** People's decisions about conversations (keyed by the conversation's calls.id). */
export class ReviewsRepository {
  private readonly byCall
  private readonly upsert
  private readonly searchBase

  constructor(
    db: Db,
    private readonly search: SearchIndex,
  ) {
    this.byCall = db.prepare(`SELECT * FROM call_reviews WHERE call_id = ?`)
    this.searchBase = db.prepare(`SELECT search_base FROM calls WHERE id = ?`).pluck()
    this.upsert = db.prepare(
      `INSERT INTO call_reviews (call_id, follow_up, note, assignee, updated_at, updated_by)
       VALUES (@callId, @followUp, @note, @assignee, @now, @by)
       ON CONFLICT (call_id) DO UPDATE SET follow_up = excluded.follow_up, note = excluded.note,
         assignee = excluded.assignee, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
  }

  of(conversationId: number): CallReview {
    return toReview(this.byCall.get(conversationId) as ReviewRow | undefined)
  }

  /** Applies a change (the note searchable at once); returns the review as stored. */
  change(conversationId: number, change: ReviewChange, by: string | null, now = Date.now()): CallReview {
    const current = this.of(conversationId)
    const next = applyChange(current, change)
    this.upsert.run({
      callId: conversationId,
      followUp: next.followUp === null ? null : next.followUp ? 1 : 0,
      note: next.note,
      assignee: next.assignee,
      now,
      by,
    })
    if (next.note !== current.note)
      this.search.indexNote(this.searchBase.get(conversationId) as number, conversationId, next.note)
    return { ...next, updatedAt: now, updatedBy: by }
  }
}

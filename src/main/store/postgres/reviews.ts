import type { CallReview } from '../../../shared/types'
import { applyChange, toReview, type ReviewChange, type ReviewRow } from '../reviews'
import type { Sql } from './connection'
import type { PgSearchIndex } from './search'

/** The office library's reviews (PostgreSQL): the twin of src/main/store/reviews.ts. */
export class PgReviewsRepository {
  constructor(
    private readonly db: Sql,
    private readonly search: PgSearchIndex,
  ) {}

  async of(conversationId: number): Promise<CallReview> {
    const { rows } = await this.db.query<ReviewRow>('SELECT * FROM call_reviews WHERE call_id = $1', [
      conversationId,
    ])
    return toReview(rows[0])
  }

  /** Applies a change; run it in a transaction when several desks may change the same call at once. */
  async change(
    conversationId: number,
    change: ReviewChange,
    by: string | null,
    now = Date.now(),
  ): Promise<CallReview> {
    const { rows } = await this.db.query<ReviewRow>(
      'SELECT * FROM call_reviews WHERE call_id = $1 FOR UPDATE',
      [conversationId],
    )
    const current = toReview(rows[0])
    const next = applyChange(current, change)
    await this.db.query(
      `INSERT INTO call_reviews (call_id, follow_up, note, assignee, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (call_id) DO UPDATE SET follow_up = excluded.follow_up, note = excluded.note,
         assignee = excluded.assignee, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [conversationId, next.followUp, next.note, next.assignee, now, by],
    )
    if (next.note !== current.note) {
      const { rows: calls } = await this.db.query<{ search_base: number }>(
        'SELECT search_base FROM calls WHERE id = $1',
        [conversationId],
      )
      await this.search.indexNote(calls[0]!.search_base, conversationId, next.note)
    }
    return { ...next, updatedAt: now, updatedBy: by }
  }
}

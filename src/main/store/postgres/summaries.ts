import type { CallSummary } from '../../../shared/types'
import type { SummaryInput, SummaryRecord } from '../summaries'
import type { Sql } from './connection'
import type { PgSearchIndex } from './search'
import { summaryDetails, summarySearchText, summaryView } from '../summaries'

/** The office library's summaries (PostgreSQL): the twin of src/main/store/summaries.ts. */
export class PgSummariesRepository {
  constructor(
    private readonly db: Sql,
    private readonly search: PgSearchIndex,
  ) {}

  /** Stores a summary unless this transcript version already has one from this prompt; false if it had. */
  async save(
    transcript: { id: number; contentHash: string },
    promptHash: string,
    summary: SummaryInput,
    now = Date.now(),
  ): Promise<boolean> {
    const inserted = await this.db.query(
      `INSERT INTO summaries (transcript_id, transcript_hash, prompt_hash, provider, model, summary, intent,
                              sentiment, follow_up, details, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (transcript_id, transcript_hash, prompt_hash) DO NOTHING`,
      [
        transcript.id,
        transcript.contentHash,
        promptHash,
        summary.provider,
        summary.model,
        summary.summary,
        summary.intent,
        summary.sentiment,
        summary.followUp,
        JSON.stringify(summaryDetails(summary)),
        now,
      ],
    )
    if (inserted.rowCount === 0) return false
    const { rows } = await this.db.query<{ search_base: number; call_id: number }>(
      `SELECT c.search_base, c.id AS call_id FROM transcripts t JOIN recordings r ON r.id = t.recording_id
       JOIN calls c ON c.id = r.call_id WHERE t.id = $1`,
      [transcript.id],
    )
    const call = rows[0]!
    await this.search.indexSummary(call.search_base, call.call_id, summarySearchText(summary))
    return true
  }

  /** Drops the summary of a transcript version and prompt, so a re-summarize on demand can replace it. */
  async forget(transcriptId: number, transcriptHash: string, promptHash: string): Promise<void> {
    await this.db.query(
      'DELETE FROM summaries WHERE transcript_id = $1 AND transcript_hash = $2 AND prompt_hash = $3',
      [transcriptId, transcriptHash, promptHash],
    )
  }

  async has(transcriptId: number, transcriptHash: string, promptHash: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'SELECT 1 FROM summaries WHERE transcript_id = $1 AND transcript_hash = $2 AND prompt_hash = $3',
      [transcriptId, transcriptHash, promptHash],
    )
    return Boolean(rowCount)
  }

  async latestOf(transcriptId: number): Promise<CallSummary | null> {
    const { rows } = await this.db.query<SummaryRecord>(
      'SELECT * FROM summaries WHERE transcript_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
      [transcriptId],
    )
    return rows[0] ? summaryView(rows[0]) : null
  }
}

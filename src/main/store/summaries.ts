import type { Db } from './database'
import type { CallSummary } from '../../shared/types'
import type { SearchIndex } from './search'

export type SummaryInput = Omit<CallSummary, 'createdAt'>

export interface SummaryRow {
  id: number
  provider: string
  model: string
  summary: string
  intent: string | null
  sentiment: CallSummary['sentiment']
  follow_up: number
  details: string
  created_at: number
}

/** A summary's row as either engine returns it, its flag a boolean and its details parsed. */
export type SummaryRecord = Omit<SummaryRow, 'follow_up' | 'details'> & {
  follow_up: boolean
  details: SummaryDetails
}

export function summaryView(row: SummaryRecord): CallSummary {
  return {
    provider: row.provider,
    model: row.model,
    createdAt: row.created_at,
    summary: row.summary,
    intent: row.intent,
    sentiment: row.sentiment,
    followUp: row.follow_up,
    ...row.details,
  }
}

/** What of a summary search finds: its prose, intent, action items, key points and topics. */
export function summarySearchText(summary: SummaryInput): string {
  return [
    summary.summary,
    summary.intent ?? '',
    ...summary.actionItems.map((a) => a.text),
    ...summary.keyPoints.map((k) => k.text),
    ...summary.topics,
  ].join('\n')
}

export type SummaryDetails = Pick<CallSummary, 'actionItems' | 'keyPoints' | 'topics'>

/** What of a summary is kept as its details (JSON): action items, key points and topics. */
export function summaryDetails(summary: SummaryInput): SummaryDetails {
  return { actionItems: summary.actionItems, keyPoints: summary.keyPoints, topics: summary.topics }
}

/** Call summaries, keyed by the transcript version and prompt they were made from. */
export class SummariesRepository {
  private readonly insert
  private readonly latest
  private readonly exists
  private readonly callOfTranscript

  constructor(
    private readonly db: Db,
    private readonly search: SearchIndex,
  ) {
    this.insert = db.prepare(
      `INSERT INTO summaries (transcript_id, transcript_hash, prompt_hash, provider, model, summary, intent, sentiment,
                              follow_up, details, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (transcript_id, transcript_hash, prompt_hash) DO NOTHING`,
    )
    this.latest = db.prepare(
      `SELECT * FROM summaries WHERE transcript_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    this.exists = db.prepare(
      `SELECT 1 FROM summaries WHERE transcript_id = ? AND transcript_hash = ? AND prompt_hash = ?`,
    )
    this.callOfTranscript = db.prepare(
      `SELECT c.id AS call_id, c.search_base FROM transcripts t JOIN recordings r ON r.id = t.recording_id
       JOIN calls c ON c.id = r.call_id WHERE t.id = ?`,
    )
  }

  /** Drops the summary of a transcript version and prompt, so a re-summarize on demand can replace it. */
  forget(transcriptId: number, transcriptHash: string, promptHash: string): void {
    this.db
      .prepare(`DELETE FROM summaries WHERE transcript_id = ? AND transcript_hash = ? AND prompt_hash = ?`)
      .run(transcriptId, transcriptHash, promptHash)
  }

  has(transcriptId: number, transcriptHash: string, promptHash: string): boolean {
    return this.exists.get(transcriptId, transcriptHash, promptHash) !== undefined
  }

  /** Stores a summary once per (transcript version, prompt); returns false if it was already there. */
  save(
    transcript: { id: number; contentHash: string },
    promptHash: string,
    summary: SummaryInput,
    now = Date.now(),
  ): boolean {
    return this.db.transaction(() => {
      const result = this.insert.run(
        transcript.id,
        transcript.contentHash,
        promptHash,
        summary.provider,
        summary.model,
        summary.summary,
        summary.intent,
        summary.sentiment,
        summary.followUp ? 1 : 0,
        JSON.stringify(summaryDetails(summary)),
        now,
      )
      if (result.changes === 0) return false
      const call = this.callOfTranscript.get(transcript.id) as { call_id: number; search_base: number }
      this.search.indexSummary(call.search_base, call.call_id, summarySearchText(summary))
      return true
    })()
  }

  latestOf(transcriptId: number): CallSummary | null {
    const row = this.latest.get(transcriptId) as SummaryRow | undefined
    if (!row) return null
    return summaryView({
      ...row,
      follow_up: row.follow_up === 1,
      details: JSON.parse(row.details) as SummaryDetails,
    })
  }
}

import type { Db } from './database'
import type { SearchHit } from '../../shared/types'
import {
  buildSnippet,
  digitsOf,
  indexVariants,
  normalizeText,
  phoneSearchForms,
  toMatchExpression,
} from './search-text'

function numberSnippet(call: CallRow, query: string): SearchHit['snippet'] {
  const wanted = digitsOf(query).replace(/^0+/, '')
  const number = digitsOf(call.to_number).includes(wanted) ? call.to_number : call.from_number
  return [{ text: number, hit: true }]
}

/** Each call owns a block of index rowids: its segments, then its summary, then its numbers. */
export const SEARCH_SLOT = { summary: 65534, numbers: 65535, maxSegments: 65534 } as const
export const SEARCH_BLOCK = 65536

type Source = SearchHit['source']

interface IndexRow {
  rowid: number
  body: string
  call_id: number
  source: Source
  at_ms: number | null
}

interface CallRow {
  id: number
  sid: string
  from_number: string
  to_number: string
  start_time: number
}

/** The full-text index: written only through these methods, read through `query`. */
export class SearchIndex {
  private readonly put
  private readonly removeRow
  private readonly match
  private readonly callById
  private readonly latestSummaryOfCall
  private readonly segmentStart

  constructor(private readonly db: Db) {
    this.put = db.prepare(
      `INSERT OR REPLACE INTO search_index (rowid, body, variants, call_id, source, at_ms) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    this.removeRow = db.prepare(`DELETE FROM search_index WHERE rowid = ?`)
    this.match = db.prepare(
      `SELECT rowid, body, call_id, source, at_ms FROM search_index WHERE search_index MATCH ? ORDER BY rowid DESC LIMIT ?`,
    )
    // A hit on any leg is a hit on its conversation.
    this.callById = db.prepare(
      `SELECT root.id, root.sid, root.from_number, root.to_number, root.start_time FROM calls c
       JOIN calls root ON root.id = COALESCE(c.conversation_id, c.id) WHERE c.id = ?`,
    )
    this.latestSummaryOfCall = db.prepare(
      `SELECT s.transcript_id, s.details FROM summaries s JOIN transcripts t ON t.id = s.transcript_id
       JOIN recordings r ON r.id = t.recording_id WHERE r.call_id = ? ORDER BY s.id DESC LIMIT 1`,
    )
    this.segmentStart = db
      .prepare(`SELECT start_ms FROM segments WHERE transcript_id = ? AND idx = ?`)
      .pluck()
  }

  /**
   * The moment a summary hit points at: the first segment cited by the action item or key point that
   * matches (or, if the match is in the summary's prose, by the first cited item). Null if none cites.
   */
  private summaryMoment(callId: number, query: string): number | null {
    const row = this.latestSummaryOfCall.get(callId) as { transcript_id: number; details: string } | undefined
    if (!row) return null
    const details = JSON.parse(row.details) as {
      actionItems?: { text: string; citations: { segmentIndex: number }[] }[]
      keyPoints?: { text: string; citations: { segmentIndex: number }[] }[]
    }
    const items = [...(details.actionItems ?? []), ...(details.keyPoints ?? [])].filter(
      (item) => item.citations.length > 0,
    )
    const item =
      items.find((candidate) => buildSnippet(candidate.text, query).some((part) => part.hit)) ?? items[0]
    const cited = item?.citations[0]
    if (!cited) return null
    return (this.segmentStart.get(row.transcript_id, cited.segmentIndex) as number | undefined) ?? null
  }

  indexNumbers(searchBase: number, callId: number, numbers: string[]): void {
    const body = [...new Set(numbers.flatMap(phoneSearchForms))].join(' ')
    this.put.run(searchBase + SEARCH_SLOT.numbers, body, '', callId, 'number', null)
  }

  /**
   * Replaces a call's indexed segments. `previousCount` is how many the call had indexed: rows are
   * removed one by one because FTS5 answers a rowid-range DELETE with a scan of the whole index.
   */
  indexSegments(
    searchBase: number,
    callId: number,
    segments: { text: string; startMs: number }[],
    previousCount: number,
  ): void {
    for (let slot = segments.length; slot < Math.min(previousCount, SEARCH_SLOT.maxSegments); slot++) {
      this.removeRow.run(searchBase + slot)
    }
    segments.slice(0, SEARCH_SLOT.maxSegments).forEach((segment, slot) => {
      const body = normalizeText(segment.text)
      this.put.run(searchBase + slot, body, indexVariants(body), callId, 'transcript', segment.startMs)
    })
  }

  indexSummary(searchBase: number, callId: number, text: string): void {
    const body = normalizeText(text)
    this.put.run(searchBase + SEARCH_SLOT.summary, body, indexVariants(body), callId, 'summary', null)
  }

  /** Drops every row of a call's block (a scan of the index: only for rare deletions). */
  removeCall(searchBase: number): void {
    this.db
      .prepare(`DELETE FROM search_index WHERE rowid >= ? AND rowid < ?`)
      .run(searchBase, searchBase + SEARCH_BLOCK)
  }

  /** Newest calls first, one hit per call (its newest-matching moment). */
  query(text: string, limit: number): SearchHit[] {
    const expression = toMatchExpression(text)
    if (expression === null) return []
    const hits: SearchHit[] = []
    const seen = new Set<number>()
    // Several rows can belong to one call, so read a few pages of rows to fill `limit` distinct calls.
    const rows = this.match.all(expression, limit * 8) as IndexRow[]
    for (const row of rows) {
      const call = this.callById.get(row.call_id) as CallRow | undefined
      if (!call || seen.has(call.id)) continue
      seen.add(call.id)
      hits.push({
        callSid: call.sid,
        from: call.from_number,
        to: call.to_number,
        startedAt: call.start_time,
        source: row.source,
        atMs: row.source === 'summary' ? this.summaryMoment(row.call_id, text) : row.at_ms,
        snippet: row.source === 'number' ? numberSnippet(call, text) : buildSnippet(row.body, text),
      })
      if (hits.length >= limit) break
    }
    return hits
  }
}

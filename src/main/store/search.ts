import type { Db } from './database'
import { simpleDirection } from './calls'
import type { SearchHit } from '../../shared/types'
import {
  buildSnippet,
  digitsOf,
  indexVariants,
  normalizeText,
  phoneSearchForms,
  toMatchExpression,
  toMatchTerms,
} from './search-text'

/** A number hit's snippet: whichever of the call's numbers holds the digits typed. */
export function numberSnippet(call: CallRow, query: string): SearchHit['snippet'] {
  const wanted = digitsOf(query).replace(/^0+/, '')
  const number = digitsOf(call.to_number).includes(wanted) ? call.to_number : call.from_number
  return [{ text: number, hit: true }]
}

/** A summary's items with the transcript segments each cites. */
export interface SummaryCitations {
  actionItems?: { text: string; citations: { segmentIndex: number }[] }[]
  keyPoints?: { text: string; citations: { segmentIndex: number }[] }[]
}

/**
 * The segment a summary hit points at: the first segment cited by the action item or key point that
 * matches (or, if the match is in the summary's prose, by the first cited item). Null if none cites.
 */
export function citedSegment(details: SummaryCitations, query: string): number | null {
  const items = [...(details.actionItems ?? []), ...(details.keyPoints ?? [])].filter(
    (item) => item.citations.length > 0,
  )
  const item =
    items.find((candidate) => buildSnippet(candidate.text, query).some((part) => part.hit)) ?? items[0]
  return item?.citations[0]?.segmentIndex ?? null
}

/** Which term of a query a hit's moment falls back to when no one place holds them all: the longest. */
export function longestTerm(terms: string[]): number {
  return terms.reduce((best, term, index) => (term.length > (terms[best] as string).length ? index : best), 0)
}

/** The row a hit opens at, from either library's index. */
export interface MomentRow {
  body: string
  call_id: number
  source: SearchHit['source']
  at_ms: number | null
}

/**
 * The hits of a page of calls (newest first) whose moments are known: a conversation once, at most
 * `limit`. `conversationOf` maps a leg's id to its conversation's row; `summaryMoment` a leg's id to where
 * its summary hit opens. The same for both libraries.
 */
export function hitsOf(
  page: number[],
  moments: Map<number, MomentRow>,
  conversationOf: (callId: number) => CallRow | undefined,
  summaryMoment: (callId: number) => number | null,
  text: string,
  limit: number,
): SearchHit[] {
  const hits: SearchHit[] = []
  const conversations = new Set<number>()
  for (const base of page) {
    const row = moments.get(base)
    const call = row && conversationOf(row.call_id)
    if (!row || !call || conversations.has(call.id)) continue
    conversations.add(call.id)
    hits.push({
      callSid: call.sid,
      from: call.from_number,
      to: call.to_number,
      direction: simpleDirection(call.direction),
      startedAt: call.start_time,
      source: row.source,
      atMs: row.source === 'summary' ? summaryMoment(row.call_id) : row.at_ms,
      snippet: row.source === 'number' ? numberSnippet(call, text) : buildSnippet(row.body, text),
    })
    if (hits.length >= limit) break
  }
  return hits
}

/**
 * Each call owns a block of index rowids (from its start time: newer calls have higher rowids): its
 * segments, then people's note, its summary, then its numbers.
 */
export const SEARCH_SLOT = { note: 65533, summary: 65534, numbers: 65535, maxSegments: 65533 } as const
export const SEARCH_BLOCK = 65536

interface IndexRow extends MomentRow {
  rowid: number
}

export interface CallRow {
  id: number
  sid: string
  from_number: string
  to_number: string
  direction: string
  start_time: number
}

/** The full-text index: written only through these methods, read through `query`. */
export class SearchIndex {
  private readonly put
  private readonly removeRow
  private readonly callsMatchingQuery
  private readonly rowsFrom
  private readonly callText
  private readonly removeCallText
  private readonly callById
  private readonly latestSummaryOfCall
  private readonly segmentStart

  constructor(private readonly db: Db) {
    this.put = db.prepare(
      `INSERT OR REPLACE INTO search_index (rowid, body, variants, call_id, source, at_ms) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    this.removeRow = db.prepare(`DELETE FROM search_index WHERE rowid = ?`)
    this.callsMatchingQuery = db.prepare(
      `SELECT rowid FROM search_calls WHERE search_calls MATCH ? ORDER BY rowid DESC`,
    )
    this.rowsFrom = db.prepare(
      `SELECT rowid, body, call_id, source, at_ms FROM search_index
       WHERE search_index MATCH ? AND rowid >= ? ORDER BY rowid DESC`,
    )
    const callText = {
      has: db.prepare(`SELECT 1 FROM search_calls WHERE rowid = ?`).pluck(),
      add: db.prepare(`INSERT INTO search_calls (rowid, segments, segment_variants, summary, summary_variants, numbers,
                                                 note, note_variants)
                       VALUES (?, '', '', '', '', '', '', '')`),
      segments: db.prepare(`UPDATE search_calls SET segments = ?, segment_variants = ? WHERE rowid = ?`),
      summary: db.prepare(`UPDATE search_calls SET summary = ?, summary_variants = ? WHERE rowid = ?`),
      note: db.prepare(`UPDATE search_calls SET note = ?, note_variants = ? WHERE rowid = ?`),
      numbers: db.prepare(`UPDATE search_calls SET numbers = ? WHERE rowid = ?`),
    }
    // A call's row in search_calls, created on first use; each source rewrites its own columns.
    this.callText = (base: number) => {
      if (!callText.has.get(base)) callText.add.run(base)
      return callText
    }
    this.removeCallText = db.prepare(`DELETE FROM search_calls WHERE rowid = ?`)
    // A hit on any leg is a hit on its conversation.
    this.callById = db.prepare(
      `SELECT root.id, root.sid, root.from_number, root.to_number, root.direction, root.start_time FROM calls c
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

  /** The moment a summary hit points at (see `citedSegment`); null if none cites. */
  private summaryMoment(callId: number, query: string): number | null {
    const row = this.latestSummaryOfCall.get(callId) as { transcript_id: number; details: string } | undefined
    const cited = row ? citedSegment(JSON.parse(row.details) as SummaryCitations, query) : null
    if (!row || cited === null) return null
    return (this.segmentStart.get(row.transcript_id, cited) as number | undefined) ?? null
  }

  indexNumbers(searchBase: number, callId: number, numbers: string[]): void {
    const body = [...new Set(numbers.flatMap(phoneSearchForms))].join(' ')
    this.put.run(searchBase + SEARCH_SLOT.numbers, body, '', callId, 'number', null)
    this.callText(searchBase).numbers.run(body, searchBase)
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
    const bodies: string[] = []
    const variants: string[] = []
    segments.slice(0, SEARCH_SLOT.maxSegments).forEach((segment, slot) => {
      const body = normalizeText(segment.text)
      const forms = indexVariants(body)
      this.put.run(searchBase + slot, body, forms, callId, 'transcript', segment.startMs)
      bodies.push(body)
      variants.push(forms)
    })
    this.callText(searchBase).segments.run(bodies.join(' '), variants.join(' '), searchBase)
  }

  indexSummary(searchBase: number, callId: number, text: string): void {
    const body = normalizeText(text)
    const forms = indexVariants(body)
    this.put.run(searchBase + SEARCH_SLOT.summary, body, forms, callId, 'summary', null)
    this.callText(searchBase).summary.run(body, forms, searchBase)
  }

  /** A person's note on the call (an empty note removes it from the index). */
  indexNote(searchBase: number, callId: number, text: string): void {
    const body = normalizeText(text)
    const forms = indexVariants(body)
    if (body === '') this.removeRow.run(searchBase + SEARCH_SLOT.note)
    else this.put.run(searchBase + SEARCH_SLOT.note, body, forms, callId, 'note', null)
    this.callText(searchBase).note.run(body, forms, searchBase)
  }

  /** Drops every row of a call's block (a scan of the index: only for rare deletions). */
  removeCall(searchBase: number): void {
    this.db
      .prepare(`DELETE FROM search_index WHERE rowid >= ? AND rowid < ?`)
      .run(searchBase, searchBase + SEARCH_BLOCK)
    this.removeCallText.run(searchBase)
  }

  /** The search bases of the newest calls whose text holds every word of `text` (most `limit`). */
  callsMatching(text: string, limit: number): number[] {
    const expression = toMatchExpression(text)
    return expression === null ? [] : this.newestMatching(expression, limit)
  }

  private newestMatching(expression: string, limit: number): number[] {
    const bases: number[] = []
    for (const { rowid } of this.callsMatchingQuery.iterate(expression) as Iterable<{ rowid: number }>) {
      bases.push(rowid)
      if (bases.length >= limit) break
    }
    return bases
  }

  /**
   * Newest calls first, one hit per conversation. A call matches when it holds every word of the query
   * anywhere (its segments, summary or numbers: search_calls); its moment is the newest segment holding
   * them all when there is one, else the newest holding the query's longest word. Three FTS queries, each
   * read only as far as the page needs, whatever the number of calls or how common the words.
   */
  query(text: string, limit: number): SearchHit[] {
    const terms = toMatchTerms(text)
    if (terms === null) return []
    const all = terms.join(' AND ')
    // The page: the newest calls whose text holds every word (legs of one conversation are deduplicated
    // below, so read twice the page).
    const page = this.newestMatching(all, limit * 2)
    if (page.length === 0) return []
    const oldest = Math.min(...page)
    const moments = new Map<number, MomentRow>()
    const findMoments = (expression: string) => {
      const wanted = new Set(page.filter((base) => !moments.has(base)))
      if (wanted.size === 0) return
      for (const row of this.rowsFrom.iterate(expression, oldest) as Iterable<IndexRow>) {
        const base = row.rowid - (row.rowid % SEARCH_BLOCK)
        if (wanted.delete(base)) moments.set(base, row)
        if (wanted.size === 0) break
      }
    }
    findMoments(all)
    if (terms.length > 1) findMoments(terms[longestTerm(terms)] as string)
    return hitsOf(
      page,
      moments,
      (callId) => this.callById.get(callId) as CallRow | undefined,
      (callId) => this.summaryMoment(callId, text),
      text,
      limit,
    )
  }
}

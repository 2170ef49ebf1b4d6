import type { Sql } from './connection'
import type { SearchHit } from '../../../shared/types'
import {
  citedSegment,
  hitsOf,
  longestTerm,
  type MomentRow,
  SEARCH_SLOT,
  type CallRow,
  type SummaryCitations,
} from '../search'
import { hebrewStems, normalizeText, phoneSearchForms, queryTerms, toMatchTerms, words } from '../search-text'

/**
 * Words as both indexes compare them: lower case without diacritics (what SQLite's unicode61 tokenizer
 * with remove_diacritics does), so "Café" and "cafe" are one word in either library.
 */
const fold = (word: string): string => word.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')

/**
 * A text's lexemes: its words and every Hebrew word's prefix-free forms (search-text.ts's rule); for a
 * call's numbers, the digits of every form they are searched by.
 */
function textLexemes(text: string): string[] {
  const all = words(text).flatMap((word) => [word, ...hebrewStems(word)])
  return [...new Set(all.map(fold).filter(Boolean))]
}

/** A query term (its forms, any of which may prefix a word) as tsquery text. */
const termQuery = (forms: string[]): string =>
  `(${[...new Set(forms.map(fold))].map((form) => `'${form}':*`).join(' | ')})`

/**
 * The query as a tsquery: every term must match, each as a prefix of any of its forms. Built from the
 * lexemes themselves (quoted), never parsed by PostgreSQL's text-search parser, so both libraries split
 * and fold words the same way. Null when nothing searchable remains.
 */
export function toTsQuery(query: string): string | null {
  return queryTerms(query)?.map(termQuery).join(' & ') ?? null
}

interface IndexRow extends MomentRow {
  base: number
}

/**
 * The office library's full-text index (PostgreSQL), the twin of src/main/store/search.ts: one row per
 * call for the page of results (several words anywhere in a call), one row per segment, summary and
 * numbers for the moment to open at. Fed the same texts, it answers the same.
 */
export class PgSearchIndex {
  constructor(private readonly db: Sql) {}

  async indexNumbers(base: number, callId: number, numbers: string[]): Promise<void> {
    const body = [...new Set(numbers.flatMap(phoneSearchForms))].join(' ')
    await this.putRows(base, callId, 'number', [{ slot: SEARCH_SLOT.numbers, body, atMs: null }])
    await this.putCallText(base, 'numbers', textLexemes(body))
  }

  /** Replaces a call's indexed segments. */
  async indexSegments(
    base: number,
    callId: number,
    segments: { text: string; startMs: number }[],
  ): Promise<void> {
    await this.db.query(`DELETE FROM search_rows WHERE base = $1 AND source = 'transcript'`, [base])
    const rows = segments
      .slice(0, SEARCH_SLOT.maxSegments)
      .map((segment, slot) => ({ slot, body: normalizeText(segment.text), atMs: segment.startMs }))
    await this.putRows(base, callId, 'transcript', rows)
    await this.putCallText(base, 'segments', textLexemes(rows.map((row) => row.body).join(' ')))
  }

  async indexSummary(base: number, callId: number, text: string): Promise<void> {
    const body = normalizeText(text)
    await this.putRows(base, callId, 'summary', [{ slot: SEARCH_SLOT.summary, body, atMs: null }])
    await this.putCallText(base, 'summary', textLexemes(body))
  }

  /** A person's note on the call (an empty note removes it from the index). */
  async indexNote(base: number, callId: number, text: string): Promise<void> {
    const body = normalizeText(text)
    await this.db.query(`DELETE FROM search_rows WHERE base = $1 AND source = 'note'`, [base])
    if (body !== '') await this.putRows(base, callId, 'note', [{ slot: SEARCH_SLOT.note, body, atMs: null }])
    await this.putCallText(base, 'note', textLexemes(body))
  }

  async removeCall(base: number): Promise<void> {
    await this.db.query('DELETE FROM search_rows WHERE base = $1', [base])
    await this.db.query('DELETE FROM search_calls WHERE base = $1', [base])
  }

  /** The search bases of the newest calls holding every word of `query` (most `limit`). */
  async callsMatching(query: string, limit: number): Promise<number[]> {
    const tsQuery = toTsQuery(query)
    return tsQuery === null ? [] : this.newestMatching(tsQuery, limit)
  }

  private async newestMatching(tsQuery: string, limit: number): Promise<number[]> {
    const { rows } = await this.db.query<{ base: number }>(
      'SELECT base FROM search_calls WHERE words @@ $1::tsquery ORDER BY base DESC LIMIT $2',
      [tsQuery, limit],
    )
    return rows.map((row) => row.base)
  }

  /**
   * Newest calls first, one hit per conversation, each at its moment: the rules of SearchIndex.query
   * (src/main/store/search.ts), in PostgreSQL.
   */
  async query(text: string, limit: number): Promise<SearchHit[]> {
    const terms = queryTerms(text)
    if (terms === null) return []
    const all = terms.map(termQuery).join(' & ')
    const page = await this.newestMatching(all, limit * 2)
    if (page.length === 0) return []
    const moments = new Map<number, IndexRow>()
    const findMoments = async (tsQuery: string) => {
      const wanted = page.filter((base) => !moments.has(base))
      if (wanted.length === 0) return
      // Per call, its rows from the highest slot down until one matches (a common word stops at once).
      const { rows } = await this.db.query<IndexRow>(
        `SELECT m.* FROM unnest($1::bigint[]) AS wanted (base)
         CROSS JOIN LATERAL (
           SELECT r.base, r.body, r.call_id, r.source, r.at_ms FROM search_rows r
           WHERE r.base = wanted.base AND r.words @@ $2::tsquery ORDER BY r.slot DESC LIMIT 1) m`,
        [wanted, tsQuery],
      )
      for (const row of rows) moments.set(row.base, row)
    }
    await findMoments(all)
    if (terms.length > 1) await findMoments(termQuery(terms[longestTerm(toMatchTerms(text) ?? [])] ?? []))
    // Two queries for the whole page, not one per hit: each round trip costs about a millisecond.
    const found = [...moments.values()]
    const calls = await this.conversationsOf(found.map((row) => row.call_id))
    const summaryMoments = await this.summaryMoments(
      found.filter((row) => row.source === 'summary').map((row) => row.call_id),
      text,
    )
    return hitsOf(
      page,
      moments,
      (callId) => calls.get(callId),
      (callId) => summaryMoments.get(callId) ?? null,
      text,
      limit,
    )
  }

  /** Each call's conversation (a hit on any leg is a hit on its conversation), by the leg's id. */
  private async conversationsOf(callIds: number[]): Promise<Map<number, CallRow>> {
    const { rows } = await this.db.query<CallRow & { leg_id: number }>(
      `SELECT c.id AS leg_id, root.id, root.sid, root.from_number, root.to_number, root.direction, root.start_time
       FROM calls c JOIN calls root ON root.id = COALESCE(c.conversation_id, c.id) WHERE c.id = ANY($1::bigint[])`,
      [callIds],
    )
    return new Map(rows.map(({ leg_id, ...call }) => [leg_id, call]))
  }

  /** Where each call's summary hit opens: the segment its latest summary's matching item cites. */
  private async summaryMoments(callIds: number[], query: string): Promise<Map<number, number>> {
    if (callIds.length === 0) return new Map()
    const { rows } = await this.db.query<{
      call_id: number
      transcript_id: number
      details: SummaryCitations
    }>(
      `SELECT DISTINCT ON (r.call_id) r.call_id, s.transcript_id, s.details FROM summaries s
       JOIN transcripts t ON t.id = s.transcript_id JOIN recordings r ON r.id = t.recording_id
       WHERE r.call_id = ANY($1::bigint[]) ORDER BY r.call_id, s.id DESC`,
      [callIds],
    )
    const cited = rows.flatMap((row) => {
      const segment = citedSegment(row.details, query)
      return segment === null ? [] : [{ callId: row.call_id, transcriptId: row.transcript_id, segment }]
    })
    const starts = await this.db.query<{ transcript_id: number; idx: number; start_ms: number }>(
      `SELECT transcript_id, idx, start_ms FROM segments
       WHERE (transcript_id, idx) IN (SELECT * FROM unnest($1::bigint[], $2::int[]))`,
      [cited.map((c) => c.transcriptId), cited.map((c) => c.segment)],
    )
    const startOf = new Map(starts.rows.map((row) => [`${row.transcript_id}:${row.idx}`, row.start_ms]))
    return new Map(
      cited.flatMap((c) => {
        const start = startOf.get(`${c.transcriptId}:${c.segment}`)
        return start === undefined ? [] : [[c.callId, start] as const]
      }),
    )
  }

  private async putRows(
    base: number,
    callId: number,
    source: SearchHit['source'],
    rows: { slot: number; body: string; atMs: number | null }[],
  ): Promise<void> {
    if (rows.length === 0) return
    const lexemes = rows.map((row) => textLexemes(row.body))
    // Lexeme lists travel as JSON (an array of arrays of different lengths is not a PostgreSQL array).
    await this.db.query(
      `INSERT INTO search_rows (base, slot, call_id, source, at_ms, body, words)
       SELECT $1, r.slot, $2, $3, r.at_ms, r.body, array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(r.lexemes)))
       FROM jsonb_to_recordset($4::jsonb) AS r (slot int, at_ms int, body text, lexemes jsonb)
       ON CONFLICT (base, slot) DO UPDATE SET call_id = EXCLUDED.call_id, source = EXCLUDED.source,
         at_ms = EXCLUDED.at_ms, body = EXCLUDED.body, words = EXCLUDED.words`,
      [
        base,
        callId,
        source,
        JSON.stringify(
          rows.map((row, i) => ({ slot: row.slot, at_ms: row.atMs, body: row.body, lexemes: lexemes[i] })),
        ),
      ],
    )
  }

  private async putCallText(
    base: number,
    column: 'segments' | 'summary' | 'numbers' | 'note',
    lexemes: string[],
  ): Promise<void> {
    // The column name comes from the union above, never from input.
    await this.db.query(
      `INSERT INTO search_calls (base, ${column}) VALUES ($1, array_to_tsvector($2::text[]))
       ON CONFLICT (base) DO UPDATE SET ${column} = EXCLUDED.${column}`,
      [base, lexemes],
    )
  }
}

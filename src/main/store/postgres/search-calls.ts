import type pg from 'pg'
import { hebrewStems, phoneSearchForms, queryTerms, words } from '../search-text'

/**
 * Words as both indexes compare them: lower case without diacritics (what SQLite's unicode61 tokenizer
 * with remove_diacritics does), so "Café" and "cafe" are one word in either library.
 */
const fold = (word: string): string => word.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')

/** A text's lexemes: its words and every Hebrew word's prefix-free forms (search-text.ts's rule). */
function textLexemes(text: string): string[] {
  const all = words(text).flatMap((word) => [word, ...hebrewStems(word)])
  return [...new Set(all.map(fold).filter(Boolean))]
}

/** A call's numbers as lexemes: every form a number may be searched by (international, national, tail). */
function numberLexemes(numbers: string[]): string[] {
  return [...new Set(numbers.flatMap(phoneSearchForms).flatMap((form) => words(form).map(fold)))]
}

/**
 * The query as a tsquery: every term must match, each as a prefix of any of its forms. Built from the
 * lexemes themselves (quoted), never parsed by PostgreSQL's text-search parser, so both libraries split
 * and fold words the same way. Null when nothing searchable remains.
 */
export function toTsQuery(query: string): string | null {
  const terms = queryTerms(query)
  if (!terms) return null
  return terms
    .map((forms) => `(${[...new Set(forms.map(fold))].map((form) => `'${form}':*`).join(' | ')})`)
    .join(' & ')
}

/**
 * The office library's per-call search index (PostgreSQL): which calls hold every word of a query, newest
 * first. The twin of SQLite's `search_calls` (src/main/store/search.ts), fed the same texts.
 */
export class PgCallSearch {
  constructor(private readonly db: pg.Pool | pg.PoolClient) {}

  async indexSegments(base: number, texts: string[]): Promise<void> {
    await this.put(base, 'segments', textLexemes(texts.join(' ')))
  }

  async indexSummary(base: number, text: string): Promise<void> {
    await this.put(base, 'summary', textLexemes(text))
  }

  async indexNumbers(base: number, numbers: string[]): Promise<void> {
    await this.put(base, 'numbers', numberLexemes(numbers))
  }

  async removeCall(base: number): Promise<void> {
    await this.db.query('DELETE FROM search_calls WHERE base = $1', [base])
  }

  /** The search bases of the newest calls holding every word of `query` (most `limit`). */
  async callsMatching(query: string, limit: number): Promise<number[]> {
    const tsQuery = toTsQuery(query)
    if (tsQuery === null) return []
    const { rows } = await this.db.query<{ base: string }>(
      'SELECT base FROM search_calls WHERE words @@ $1::tsquery ORDER BY base DESC LIMIT $2',
      [tsQuery, limit],
    )
    return rows.map((row) => Number(row.base))
  }

  private async put(
    base: number,
    column: 'segments' | 'summary' | 'numbers',
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

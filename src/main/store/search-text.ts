/**
 * Text handling for the full-text index: what goes into it and how a user's query is turned into an FTS5
 * expression. Kept free of SQL so it can be tested on its own.
 */

const HEBREW_MARKS = /[\u0591-\u05BD\u05BF-\u05C7]/g // cantillation and niqqud; not maqaf (U+05BE)
const MAQAF = /\u05BE/g
const HEBREW_WORD = /^[\u05D0-\u05EA]+$/
// One-letter prefixes (and their common stacks) glued to Hebrew words: "ו" and, "ה" the, "ב" in, "ל" to,
// "מ" from, "ש" that, "כ" as. Indexing the word without them lets "פגישה" find "הפגישה" and "ובפגישה".
const HEBREW_PREFIXES = [
  'וכשה',
  'וכש',
  'ושה',
  'ומה',
  'ובה',
  'וה',
  'וב',
  'ול',
  'ומ',
  'וש',
  'וכ',
  'שה',
  'שב',
  'של',
  'שמ',
  'כש',
  'מה',
  'בה',
  'ו',
  'ה',
  'ב',
  'ל',
  'מ',
  'ש',
  'כ',
].sort((a, b) => b.length - a.length)
const MIN_STEM = 2

export function normalizeText(text: string): string {
  return text.replace(HEBREW_MARKS, '').replace(MAQAF, ' ').normalize('NFC')
}

export function words(text: string): string[] {
  return normalizeText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
}

/** The forms of a Hebrew word with its prefix letters removed (none for other words). */
export function hebrewStems(word: string): string[] {
  if (!HEBREW_WORD.test(word)) return []
  const stems = new Set<string>()
  for (const prefix of HEBREW_PREFIXES) {
    if (word.startsWith(prefix) && word.length - prefix.length >= MIN_STEM)
      stems.add(word.slice(prefix.length))
  }
  return [...stems]
}

/** Extra index text for a body: every Hebrew word's prefix-free forms. */
export function indexVariants(text: string): string {
  return words(text).flatMap(hebrewStems).join(' ')
}

export function digitsOf(text: string): string {
  return text.replace(/\D/g, '')
}

/**
 * Forms under which a phone number can be searched: E.164 digits, the national form with a trunk zero
 * (+972 50… → 050…) and every tail of 7+ digits, so "0501234567", "501234567" and "1234567" all match.
 */
export function phoneSearchForms(number: string): string[] {
  const digits = digitsOf(number)
  if (digits.length === 0) return [number]
  const forms = new Set<string>([digits])
  for (let start = 1; digits.length - start >= 7; start++) {
    forms.add(digits.slice(start))
    forms.add(`0${digits.slice(start)}`)
  }
  return [...forms]
}

// Digits with the punctuation people type around them: +972 50-123-4567, (415) 555-0123, 050.123.4567.
const PHONE_QUERY = /^[+(\d][\d\s().-]{4,}$/

/**
 * Turns what a user typed into a safe FTS5 expression: every word must match (as a prefix) in the text or
 * its Hebrew prefix-free forms. Returns null when nothing searchable remains.
 */
export function toMatchExpression(query: string): string | null {
  return toMatchTerms(query)?.join(' AND ') ?? null
}

/**
 * What a query asks for, whatever the index: every term must match, a term matches when any of its forms
 * is a prefix of an indexed word (a word and its Hebrew prefix-free forms; a phone number is one term of
 * its digits). Null when nothing searchable remains.
 */
export function queryTerms(query: string): string[][] | null {
  const trimmed = query.trim()
  if (PHONE_QUERY.test(trimmed)) {
    const digits = digitsOf(trimmed).replace(/^0+/, '')
    if (digits.length >= 3) return [[digits]]
  }
  const terms = [...new Set(words(trimmed.toLowerCase()))]
  if (terms.length === 0) return null
  return terms.map((term) => [term, ...hebrewStems(term)])
}

/** The same, one safe FTS5 expression per term (SQLite's index). */
export function toMatchTerms(query: string): string[] | null {
  return (
    queryTerms(query)?.map((forms) => {
      const prefixes = forms.map((form) => `"${form}"*`)
      return prefixes.length === 1 ? (prefixes[0] as string) : `(${prefixes.join(' OR ')})`
    }) ?? null
  )
}

export interface SnippetPart {
  text: string
  hit: boolean
}

/**
 * A short excerpt around the first matching word with every matching word marked. Done here rather than
 * with FTS5's snippet() because matches on Hebrew prefix-free forms live in another column.
 */
export function buildSnippet(body: string, query: string, radius = 12): SnippetPart[] {
  const terms = words(query.toLowerCase())
  const queryDigits = digitsOf(query).replace(/^0+/, '')
  const tokens = normalizeText(body).split(/([^\p{L}\p{N}]+)/u)
  const isHit = (token: string): boolean => {
    if (!/[\p{L}\p{N}]/u.test(token)) return false
    const lower = token.toLowerCase()
    const forms = [lower, ...hebrewStems(lower)]
    if (forms.some((form) => terms.some((term) => form.startsWith(term)))) return true
    return queryDigits.length >= 3 && digitsOf(token).includes(queryDigits)
  }
  const first = tokens.findIndex(isHit)
  const from = Math.max(0, (first < 0 ? 0 : first) - radius * 2)
  const to = Math.min(tokens.length, (first < 0 ? 0 : first) + radius * 2 + 1)
  const parts: SnippetPart[] = []
  if (from > 0) parts.push({ text: '…', hit: false })
  for (const token of tokens.slice(from, to)) {
    const hit = isHit(token)
    const last = parts.at(-1)
    if (last && !last.hit && !hit) last.text += token
    else if (token.length > 0) parts.push({ text: token, hit })
  }
  if (to < tokens.length) parts.push({ text: '…', hit: false })
  return parts
}

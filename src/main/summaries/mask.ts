/**
 * Masks personal data before any text leaves the machine, with stable placeholders ("[PHONE_1]" is the
 * same number everywhere in a call), and puts the real values back into what comes back.
 */

export type MaskKind = 'PHONE' | 'EMAIL' | 'CARD' | 'ID' | 'IBAN'

export interface Masking {
  text: string[]
  /** placeholder → original value */
  values: Map<string, string>
}

const digitsOnly = (value: string) => value.replace(/\D/g, '')

/** Luhn check: card numbers. */
export function luhnValid(value: string): boolean {
  const digits = digitsOnly(value)
  if (digits.length < 13 || digits.length > 19) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}

/** Israeli ID (Teudat Zehut) check digit: 9 digits, alternating weights 1,2 with digit sums. */
export function israeliIdValid(value: string): boolean {
  const digits = digitsOnly(value)
  if (digits.length < 5 || digits.length > 9) return false
  const padded = digits.padStart(9, '0')
  let sum = 0
  for (let i = 0; i < 9; i++) {
    let step = Number(padded[i]) * ((i % 2) + 1)
    if (step > 9) step -= 9
    sum += step
  }
  return sum % 10 === 0
}

/** IBAN: country code, check digits, mod 97 == 1. */
export function ibanValid(value: string): boolean {
  const compact = value.replace(/\s+/g, '').toUpperCase()
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return false
  const rearranged = compact.slice(4) + compact.slice(0, 4)
  let remainder = 0
  for (const char of rearranged) {
    const chunk = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55)
    for (const digit of chunk) remainder = (remainder * 10 + Number(digit)) % 97
  }
  return remainder === 1
}

interface Pattern {
  kind: MaskKind
  regex: RegExp
  accept: (match: string) => boolean
}

// Order matters: the most specific patterns claim their text first.
const PATTERNS: Pattern[] = [
  { kind: 'EMAIL', regex: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, accept: () => true },
  {
    kind: 'IBAN',
    regex: /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g,
    accept: ibanValid,
  },
  { kind: 'CARD', regex: /\b\d(?:[ -]?\d){12,18}\b/g, accept: luhnValid },
  { kind: 'ID', regex: /\b\d{9}\b/g, accept: israeliIdValid },
  {
    kind: 'PHONE',
    // Never inside a longer run of digits (an order or card-like number that failed its check).
    regex: /(?<![\d+][ .-]?)(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d(?:[ .-]?\d){6,13}(?![ .-]?\d)/g,
    accept: (m) => digitsOnly(m).length >= 7,
  },
]

/** Masks every line of a transcript (or any texts) with one shared set of placeholders. */
export function maskTexts(texts: string[], known: string[] = []): Masking {
  const values = new Map<string, string>()
  const byValue = new Map<string, string>()
  const counters: Record<MaskKind, number> = { PHONE: 0, EMAIL: 0, CARD: 0, ID: 0, IBAN: 0 }
  const placeholder = (kind: MaskKind, value: string) => {
    const key = `${kind}:${kind === 'EMAIL' ? value.toLowerCase() : digitsOnly(value) || value}`
    let existing = byValue.get(key)
    if (!existing) {
      existing = `[${kind}_${++counters[kind]}]`
      byValue.set(key, existing)
      values.set(existing, value)
    }
    return existing
  }
  // Numbers the app already knows (the caller's) are masked even when spoken in an unusual format.
  const knownDigits = known.map(digitsOnly).filter((d) => d.length >= 7)
  const masked = texts.map((text) => {
    let result = text
    for (const pattern of PATTERNS) {
      result = result.replace(pattern.regex, (match) =>
        pattern.accept(match) ||
        (pattern.kind === 'PHONE' && knownDigits.some((d) => d.endsWith(digitsOnly(match).slice(-7))))
          ? placeholder(pattern.kind, match)
          : match,
      )
    }
    return result
  })
  return { text: masked, values }
}

/** Puts the real values back wherever a placeholder appears (in any string inside a JSON-like value). */
export function unmask<T>(value: T, values: Map<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(/\[(PHONE|EMAIL|CARD|ID|IBAN)_\d+\]/g, (token) => values.get(token) ?? token) as T
  }
  if (Array.isArray(value)) return value.map((item) => unmask(item, values)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unmask(item, values)])) as T
  }
  return value
}

/**
 * Seeded inputs for the fuzz suites: the same seed gives the same cases. `npm test` runs a short pass
 * with a fixed seed; `npm run fuzz` a long one with a new seed each time (printed in the test names),
 * so repeated runs explore more. Replay any run with FUZZ_SEED=… FUZZ_RUNS=… npx vitest run test/fuzz.
 */
import type { ZodType } from 'zod'

const longRun = process.env['npm_lifecycle_event'] === 'fuzz'
export const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? (longRun ? Date.now() % 2 ** 31 : 20261125))
export const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? (longRun ? 400 : 12))

/** mulberry32: small, seeded, the same everywhere. */
export function seeded(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const random: Random = {
    next,
    int: (below) => Math.floor(next() * below),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    chance: (p) => next() < p,
  }
  return random
}

export interface Random {
  next(): number
  int(below: number): number
  pick<T>(items: readonly T[]): T
  chance(p: number): boolean
}

/** Strings that have broken parsers, paths, SQL, full-text queries and bidi rendering elsewhere. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a'.repeat(5000),
  'ש'.repeat(300),
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/dev/zero',
  '/proc/self/mem',
  'C:\\Windows\\System32',
  "'; DROP TABLE calls; --",
  '" OR 1=1 --',
  'NEAR(a b)',
  '"unbalanced',
  '*',
  'a* OR b*',
  '%00%2e%2e%2f',
  '\u202e\u2066evil\u2069',
  '\ud800',
  '😀'.repeat(50),
  '+972-50-123-4567',
  '(415) 555-0123',
  'http://169.254.169.254/latest/meta-data',
  'file:///etc/passwd',
  'javascript:alert(1)',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'CA' + 'f'.repeat(32),
  'RE' + '0'.repeat(32),
  'AC' + 'a'.repeat(32),
  'SK' + '1'.repeat(32),
]

const NASTY_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e-300,
  Infinity,
  -Infinity,
  NaN,
]

/** Any value at all, JSON-shaped or not. */
export function anyValue(random: Random, depth = 0): unknown {
  const roll = random.int(depth > 2 ? 6 : 9)
  switch (roll) {
    case 0:
      return null
    case 1:
      return undefined
    case 2:
      return random.chance(0.5)
    case 3:
      return random.pick(NASTY_NUMBERS)
    case 4:
    case 5:
      return random.pick(NASTY_STRINGS)
    case 6:
      return Array.from({ length: random.int(4) }, () => anyValue(random, depth + 1))
    case 7: {
      const object: Record<string, unknown> = {}
      for (let i = random.int(4); i > 0; i--) object[random.pick(NASTY_STRINGS)] = anyValue(random, depth + 1)
      return object
    }
    default:
      return Object.assign(Object.create(null) as object, { __proto__: { polluted: true } })
  }
}

type Def = { type: string; [key: string]: unknown }
const defOf = (schema: ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def

/**
 * A value shaped like the schema (the right keys, mostly the right kinds) with boundary and hostile
 * leaves: what a buggy or hostile renderer would send that gets past a glance.
 */
export function nearValue(schema: ZodType, random: Random, depth = 0): unknown {
  if (depth > 5 || random.chance(0.12)) return anyValue(random)
  const def = defOf(schema)
  switch (def.type) {
    case 'object': {
      const shape = def['shape'] as Record<string, ZodType>
      const value: Record<string, unknown> = {}
      for (const [key, field] of Object.entries(shape))
        if (!random.chance(0.15)) value[key] = nearValue(field, random, depth + 1)
      if (random.chance(0.1)) value[random.pick(NASTY_STRINGS)] = anyValue(random)
      return value
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'catch':
      if (random.chance(0.2)) return def.type === 'nullable' ? null : undefined
      return nearValue(def['innerType'] as ZodType, random, depth + 1)
    case 'pipe':
      return nearValue(def['in'] as ZodType, random, depth + 1)
    case 'array':
      return Array.from({ length: random.pick([0, 1, 2, 50]) }, () =>
        nearValue(def['element'] as ZodType, random, depth + 1),
      )
    case 'union':
      return nearValue(random.pick(def['options'] as ZodType[]), random, depth + 1)
    case 'enum':
      return random.chance(0.7)
        ? random.pick(Object.values(def['entries'] as object))
        : random.pick(NASTY_STRINGS)
    case 'literal':
      return random.chance(0.8) ? random.pick(def['values'] as unknown[]) : anyValue(random)
    case 'string':
      return random.pick(NASTY_STRINGS)
    case 'number':
    case 'int':
      return random.pick(NASTY_NUMBERS)
    case 'boolean':
      return random.chance(0.5)
    default:
      return anyValue(random, depth)
  }
}

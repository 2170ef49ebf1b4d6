import { describe, expect, it } from 'vitest'
import { migrateOfficeLibrary } from '../../src/main/store/postgres/migrate'
import { toTsQuery } from '../../src/main/store/postgres/search-calls'
import { referenceTranscript } from '../helpers/fixtures'
import { bothLibraries, NO_POSTGRES, postgresBinaries, type BothLibraries } from '../helpers/postgres'
import { seedCall, transcriptOf } from '../helpers/seed'

const available = postgresBinaries() !== null
const libraries = bothLibraries(seedBoth)

const english = referenceTranscript('plumbing-en').lines.map((line) => line.text)
const hebrew = referenceTranscript('clinic-he').lines.map((line) => line.text)

/** A small deterministic library: English and Hebrew calls, with accents and numbers in several forms. */
async function seedBoth({ desktop: store, office }: BothLibraries): Promise<void> {
  let state = 7
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647
  for (let i = 0; i < 240; i++) {
    const lines = (random() < 0.35 ? hebrew : english).filter(() => random() < 0.4)
    if (i % 17 === 0) lines.push('The café sent the invoice')
    if (i % 29 === 0) lines.push('zanzibar')
    const from = `+9725${String(1_000_000 + ((i * 7919) % 9_000_000)).padStart(8, '0')}`
    const { callSid } = seedCall(store, i, {
      from,
      startTime: Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000 + i,
      transcript: transcriptOf(lines, 'en'),
    })
    const call = store.calls.getCall(callSid)!
    await office.search.indexNumbers(call.search_base, [call.from_number, call.to_number])
    await office.search.indexSegments(call.search_base, lines)
  }
}

describe('search in the office library (PostgreSQL) answers as the desktop library (SQLite) does', () => {
  it.for<[string, string]>([
    ['a common word', 'sink'],
    ['two words found in different lines', 'kitchen sink'],
    ['a word prefix', 'plumb'],
    ['a rare word', 'zanzibar'],
    ['a word typed with an accent, indexed with one', 'café'],
    ['the same word without it', 'cafe'],
    ['Hebrew', 'תור'],
    ['Hebrew with a prefix glued on', 'בשלוש'],
    ['a national phone number', '050-1007919'],
    ['the tail of a number', '1015838'],
    ['nothing', 'xylophone'],
  ])('%s (%s): the same calls, newest first', async ([, query], { skip }) => {
    skip(!available, NO_POSTGRES)
    const sqlite = libraries.desktop.search.callsMatching(query, 30)
    expect(await libraries.office.search.callsMatching(query, 30)).toEqual(sqlite)
    if (query !== 'xylophone') expect(sqlite.length).toBeGreaterThan(0)
  })

  it('re-indexing a call replaces its text; removing it removes it', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const search = libraries.office.search
    const base = 999 * 65_536
    await search.indexSegments(base, ['a quokka came by'])
    expect(await search.callsMatching('quokka', 5)).toEqual([base])
    await search.indexSegments(base, ['a wombat came by'])
    expect(await search.callsMatching('quokka', 5)).toEqual([])
    await search.indexSummary(base, 'Follow up about the quokka')
    expect(await search.callsMatching('wombat quokka', 5)).toEqual([base])
    await search.removeCall(base)
    expect(await search.callsMatching('wombat', 5)).toEqual([])
  })

  it('a second machine starting later finds nothing left to migrate', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    expect(await migrateOfficeLibrary(libraries.pool)).toBe(0)
  })

  it('builds its query from lexemes, so nothing a user types reaches PostgreSQL as syntax', () => {
    expect(toTsQuery("kitchen' | !sink:*")).toBe("('kitchen':*) & ('sink':*)")
    expect(toTsQuery('בשלוש')).toBe("('בשלוש':* | 'שלוש':*)")
    expect(toTsQuery('  ...  ')).toBeNull()
  })
})

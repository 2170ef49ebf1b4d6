import type { SummaryInput } from '../../src/main/store/summaries'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store'
import { hebrewStems, toMatchExpression } from '../../src/main/store/search-text'
import { tempDir } from '../helpers/temp'
import { referenceTranscript } from '../helpers/fixtures'
import { seedCall, sid, transcriptOf } from '../helpers/seed'

let store: Store
beforeEach(async () => {
  store = Store.open(join(tempDir(), 'search.db'))
  return () => store.close()
})

const fixtureLines = (name: string): string[] => referenceTranscript(name).lines.map((line) => line.text)

const marked = (hit: { snippet: { text: string; hit: boolean }[] }) =>
  hit.snippet.filter((p) => p.hit).map((p) => p.text)

describe('full-text search', () => {
  it('finds English words by prefix, newest call first, and marks them in the snippet', async () => {
    seedCall(store, 'old', {
      startTime: Date.UTC(2026, 0, 1),
      transcript: transcriptOf(['The kitchen sink is leaking again.']),
    })
    seedCall(store, 'new', {
      startTime: Date.UTC(2026, 5, 1),
      transcript: transcriptOf(['Hi', 'Our sink leaks under the cabinet.']),
    })
    const hits = store.search.query('sink leak', 10)
    expect(hits.map((h) => h.callSid)).toEqual([sid('CA', 'new'), sid('CA', 'old')])
    expect(hits[0]).toMatchObject({ source: 'transcript', atMs: 4000 })
    expect(marked(hits[0] as never)).toEqual(['sink', 'leaks'])
  })

  it('several words find a call that holds them all anywhere, at a moment holding most of them', async () => {
    seedCall(store, 'both-apart', {
      startTime: Date.UTC(2026, 2, 1),
      transcript: transcriptOf(['The invoice came this morning.', 'Hi', 'When can the technician come?']),
    })
    seedCall(store, 'both-together', {
      startTime: Date.UTC(2026, 1, 1),
      transcript: transcriptOf(['Hello', 'The technician left the invoice on the counter.']),
    })
    seedCall(store, 'only-one', {
      startTime: Date.UTC(2026, 3, 1),
      transcript: transcriptOf(['Please resend the invoice.']),
    })
    const hits = store.search.query('invoice technician', 10)
    expect(hits.map((h) => h.callSid)).toEqual([sid('CA', 'both-apart'), sid('CA', 'both-together')])
    // Where one segment holds both words, the hit opens there.
    expect(hits[1]).toMatchObject({ atMs: 4000 })
    expect(marked(hits[1] as never)).toEqual(['technician', 'invoice'])
    expect(store.search.query('invoice technician xylophone', 10)).toEqual([])
  })

  it('a very common word still fills a page of results, newest call first', async () => {
    for (let call = 0; call < 40; call++)
      seedCall(store, `busy-${call}`, {
        startTime: Date.UTC(2026, 0, 1) + call * 3_600_000,
        transcript: transcriptOf(
          Array.from({ length: 30 }, (_, i) => `The sink, line ${i}, the sink again.`),
        ),
      })
    const hits = store.search.query('sink', 30)
    expect(hits).toHaveLength(30)
    expect(hits[0]?.callSid).toBe(sid('CA', 'busy-39'))
    expect(hits.map((h) => h.startedAt)).toEqual([...hits.map((h) => h.startedAt)].sort((a, b) => b - a))
  })

  it('finds Hebrew words with and without their one-letter prefixes', async () => {
    seedCall(store, 'he', {
      transcript: transcriptOf(['שלום, אני רוצה לקבוע תור לרופא', 'הפגישה נקבעה ליום שלישי'], 'he'),
    })
    for (const query of ['תור', 'פגישה', 'הפגישה', 'לרופא', 'רופא', 'שלישי']) {
      const hits = store.search.query(query, 10)
      expect(
        hits.map((h) => h.callSid),
        query,
      ).toEqual([sid('CA', 'he')])
      expect(marked(hits[0] as never).length, query).toBeGreaterThan(0)
    }
    expect(store.search.query('מכונית', 10)).toEqual([])
  })

  it('ignores Hebrew vowel points in the text and in the query', async () => {
    seedCall(store, 'niqqud', { transcript: transcriptOf(['שָׁלוֹם עוֹלָם'], 'he') })
    expect(store.search.query('שלום', 10)).toHaveLength(1)
    expect(store.search.query('עוֹלָם', 10)).toHaveLength(1)
  })

  it('finds calls by phone number in international, local and partial forms', async () => {
    seedCall(store, 'p', { from: '+972501234567', transcript: transcriptOf(['hello']) })
    for (const query of ['+972501234567', '050-123-4567', '0501234567', '1234567', '(050) 1234567']) {
      const hits = store.search.query(query, 10)
      expect(
        hits.map((h) => h.callSid),
        query,
      ).toEqual([sid('CA', 'p')])
      expect(hits[0]?.source).toBe('number')
      expect(marked(hits[0] as never)).toEqual(['+972501234567'])
    }
    expect(store.search.query('0509999999', 10)).toEqual([])
    // A North American number as people write it.
    seedCall(store, 'us', { from: '+14155550123', transcript: transcriptOf(['hello']) })
    for (const query of ['(415) 555-0123', '415-555-0123', '+1 415 555 0123', '4155550123'])
      expect(
        store.search.query(query, 10).map((h) => h.callSid),
        query,
      ).toEqual([sid('CA', 'us')])
  })

  /** Stores a summary for a seeded call's transcript. */
  function summarize(recordingSid: string | null, summary: Partial<SummaryInput>): void {
    const transcript = store.transcripts.ofRecording(
      store.recordings.get(recordingSid as string)?.id as number,
    )
    store.summaries.save(transcript as never, 'p', {
      provider: 'extractive',
      model: 'local',
      summary: '',
      intent: null,
      sentiment: null,
      followUp: true,
      actionItems: [],
      keyPoints: [],
      topics: [],
      ...summary,
    })
  }

  it('searches summaries', async () => {
    const { recordingSid } = seedCall(store, 's', { transcript: transcriptOf(['hello']) })
    summarize(recordingSid, { summary: 'Boiler replacement quote requested' })
    expect(store.search.query('boiler', 10)).toMatchObject([{ callSid: sid('CA', 's'), source: 'summary' }])
  })

  it('a summary hit opens at the moment the matching item cites', async () => {
    const { recordingSid } = seedCall(store, 'cited', {
      transcript: transcriptOf(['hello', 'the boiler is leaking', 'we will send a technician']),
    })
    summarize(recordingSid, {
      summary: 'A leak; a visit is booked.',
      actionItems: [{ text: 'Send a technician', owner: null, due: null, citations: [{ segmentIndex: 2 }] }],
      keyPoints: [{ text: 'The boiler leaks', citations: [{ segmentIndex: 1 }] }],
    })
    // transcriptOf puts segment i at i × 4 s.
    expect(store.search.query('technician', 10)).toContainEqual(
      expect.objectContaining({ source: 'summary', atMs: 8000 }),
    )
    expect(store.search.query('boiler leaks', 10)).toContainEqual(
      expect.objectContaining({ source: 'summary', atMs: 4000 }),
    )
    // A match in the prose points at the first cited item.
    expect(store.search.query('visit booked', 10)).toEqual([
      expect.objectContaining({ source: 'summary', atMs: 8000 }),
    ])
  })

  it('treats FTS syntax in a query as plain words', async () => {
    seedCall(store, 'x', { transcript: transcriptOf(['near the OR gate, NOT the AND door']) })
    for (const query of ['"unbalanced', 'NOT', 'a*b', 'col:umn', '(', 'NEAR(']) {
      expect(() => store.search.query(query, 10), query).not.toThrow()
    }
    expect(store.search.query('gate NOT', 10)).toHaveLength(1)
    expect(toMatchExpression('   ')).toBeNull()
  })

  it('indexes the fixture calls (English and Hebrew) so their own words find them', async () => {
    const english = fixtureLines('plumbing-en')
    const hebrew = fixtureLines('clinic-he')
    expect(english.length).toBeGreaterThan(0)
    expect(hebrew.length).toBeGreaterThan(0)
    seedCall(store, 'en', { transcript: transcriptOf(english) })
    seedCall(store, 'he', { transcript: transcriptOf(hebrew, 'he') })
    const hebrewWord = hebrew
      .join(' ')
      .split(/\s+/)
      .find((w) => /^[\u05D0-\u05EA]{4,}$/.test(w)) as string
    const englishWord = english
      .join(' ')
      .split(/\W+/)
      .find((w) => w.length >= 6) as string
    expect(store.search.query(hebrewWord, 10).map((h) => h.callSid)).toEqual([sid('CA', 'he')])
    expect(store.search.query(englishWord, 10).map((h) => h.callSid)).toContain(sid('CA', 'en'))
  })

  it('strips only real prefixes and keeps short words whole', async () => {
    expect(hebrewStems('הפגישה')).toContain('פגישה')
    expect(hebrewStems('ובבית')).toContain('בית')
    expect(hebrewStems('אב')).toEqual([])
    expect(hebrewStems('hello')).toEqual([])
  })
})

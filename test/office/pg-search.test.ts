import { describe, expect, it } from 'vitest'
import type { CallInput } from '../../src/main/store/calls'
import { migrateOfficeLibrary } from '../../src/main/store/postgres/migrate'
import type { RecordingInput } from '../../src/main/store/recordings'
import type { SummaryInput } from '../../src/main/store/summaries'
import { toTsQuery } from '../../src/main/store/postgres/search'
import { referenceTranscript } from '../helpers/fixtures'
import {
  bothLibraries,
  NO_POSTGRES,
  postgresBinaries,
  writeBoth,
  type BothLibraries,
} from '../helpers/postgres'
import { sid, transcriptOf } from '../helpers/seed'

const available = postgresBinaries() !== null
const libraries = bothLibraries(seedBoth)

const english = referenceTranscript('plumbing-en').lines.map((line) => line.text)
const hebrew = referenceTranscript('clinic-he').lines.map((line) => line.text)

/**
 * A small deterministic library, written through both libraries' repositories: English and Hebrew calls,
 * accents, numbers in several forms, forwarded calls (a hit on the answering leg is a hit on the
 * conversation), and summaries whose action items cite segments (a summary hit opens at the cited moment).
 */
async function seedBoth(libraries: BothLibraries): Promise<void> {
  let state = 7
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647
  for (let i = 0; i < 240; i++) {
    const lines = (random() < 0.35 ? hebrew : english).filter(() => random() < 0.4)
    if (i % 17 === 0) lines.push('The café sent the invoice')
    if (i % 29 === 0) lines.push('zanzibar')
    const call: CallInput = {
      sid: sid('CA', i),
      from: `+9725${String(1_000_000 + ((i * 7919) % 9_000_000)).padStart(8, '0')}`,
      to: '+97235550100',
      direction: 'inbound',
      status: 'completed',
      startTime: Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000 + i,
      durationSec: 60,
    }
    const leg: CallInput | null =
      i % 11 === 0
        ? {
            ...call,
            sid: sid('CA', `leg-${i}`),
            direction: 'outbound-dial',
            from: call.to,
            to: `+97254${i}`,
            parentCallSid: call.sid,
          }
        : null
    const recording: RecordingInput = {
      sid: sid('RE', i),
      // The answering leg of a forwarded call holds the recording.
      callSid: (leg ?? call).sid,
      twilioStatus: 'completed',
      errorCode: null,
      channels: 2,
      durationSec: 60,
      dateCreated: call.startTime,
    }
    const summary: SummaryInput | null =
      i % 3 === 0 && lines.length > 1
        ? {
            provider: 'extractive',
            model: 'local',
            summary: 'The caller needs a plumber.',
            intent: 'repair',
            sentiment: 'neutral',
            followUp: false,
            actionItems: [
              { text: 'Send the technician', owner: 'staff', due: null, citations: [{ segmentIndex: 1 }] },
            ],
            keyPoints: [],
            topics: ['technician'],
          }
        : null
    // People's notes, one of them rewritten (its old words must no longer find the call).
    const note = i % 13 === 0 ? 'Customer wants a refund — לחזור ללקוח' : i % 19 === 0 ? 'kangaroo' : ''
    await writeBoth(
      libraries,
      (store) => {
        store.calls.upsertCall(call, 1)
        if (leg) store.calls.upsertCall(leg, 1)
        store.recordings.upsert(recording, { availability: 'ready', reason: null }, 1)
        const saved = store.transcripts.save(recording.sid, transcriptOf(lines, 'en'), 1)
        if (summary) store.summaries.save(saved, 'prompt', summary, 1)
        if (note) store.reviews.change(store.calls.conversationOf(call.sid)!.id, { note }, 'Noa', 1)
      },
      async (office) => {
        await office.calls.upsertCall(call, 1)
        if (leg) await office.calls.upsertCall(leg, 1)
        await office.recordings.upsert(recording, { availability: 'ready', reason: null }, 1)
        const saved = await office.transcripts.save(recording.sid, transcriptOf(lines, 'en'), 1)
        if (summary) await office.summaries.save(saved, 'prompt', summary, 1)
        if (note)
          await office.reviews.change((await office.calls.conversationOf(call.sid))!.id, { note }, 'Noa', 1)
      },
    )
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
    ['a word of a summary’s action item, opening at the segment it cites', 'technician'],
    ['a word of a note', 'refund'],
    ['Hebrew in a note, with a prefix', 'ללקוח'],
    ['a note word with a transcript word', 'refund sink'],
    ['nothing', 'xylophone'],
  ])('%s (%s): the same calls, newest first, at the same moments', async ([, query], { skip }) => {
    skip(!available, NO_POSTGRES)
    const sqlite = libraries.desktop.search.callsMatching(query, 30)
    expect(await libraries.office.search.callsMatching(query, 30)).toEqual(sqlite)
    if (query !== 'xylophone') expect(sqlite.length).toBeGreaterThan(0)
    // And the hits: the same conversations, moments, sources and snippets.
    expect(await libraries.office.search.query(query, 30)).toEqual(libraries.desktop.search.query(query, 30))
  })

  it('a note rewritten or cleared stops finding its call by its old words', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const kangaroo = libraries.desktop.search.query('kangaroo', 30)
    expect(kangaroo.length).toBeGreaterThan(1)
    expect(kangaroo[0]).toMatchObject({ source: 'note', atMs: null })
    const [first, second] = kangaroo.map((hit) => hit.callSid)
    await writeBoth(
      libraries,
      (store) => {
        store.reviews.change(store.calls.conversationOf(first!)!.id, { note: 'wallaby' }, 'Noa', 2)
        store.reviews.change(store.calls.conversationOf(second!)!.id, { note: '' }, 'Noa', 2)
      },
      async (office) => {
        await office.reviews.change(
          (await office.calls.conversationOf(first!))!.id,
          { note: 'wallaby' },
          'Noa',
          2,
        )
        await office.reviews.change((await office.calls.conversationOf(second!))!.id, { note: '' }, 'Noa', 2)
      },
    )
    for (const query of ['kangaroo', 'wallaby']) {
      const hits = libraries.desktop.search.query(query, 30)
      expect(await libraries.office.search.query(query, 30)).toEqual(hits)
      expect(hits.map((hit) => hit.callSid).includes(first!)).toBe(query === 'wallaby')
      expect(hits.map((hit) => hit.callSid).includes(second!)).toBe(false)
    }
  })

  it('re-indexing a call replaces its text; removing it removes it', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const search = libraries.office.search
    const base = 999 * 65_536
    await search.indexSegments(base, 1, [{ text: 'a quokka came by', startMs: 0 }])
    expect(await search.callsMatching('quokka', 5)).toEqual([base])
    await search.indexSegments(base, 1, [{ text: 'a wombat came by', startMs: 0 }])
    expect(await search.callsMatching('quokka', 5)).toEqual([])
    await search.indexSummary(base, 1, 'Follow up about the quokka')
    expect(await search.callsMatching('wombat quokka', 5)).toEqual([base])
    await search.removeCall(base)
    expect(await search.callsMatching('wombat', 5)).toEqual([])
  })

  it('a second machine starting later finds nothing left to migrate', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    expect(await migrateOfficeLibrary(libraries.pool)).toBe(0)
  })

  it('builds its query from lexemes, so nothing a user types reaches PostgreSQL as syntax', async () => {
    expect(toTsQuery("kitchen' | !sink:*")).toBe("('kitchen':*) & ('sink':*)")
    expect(toTsQuery('בשלוש')).toBe("('בשלוש':* | 'שלוש':*)")
    expect(toTsQuery('  ...  ')).toBeNull()
  })
})

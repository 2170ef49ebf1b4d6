/**
 * The library at office scale: 50,000 calls with transcripts built from the fixture calls' reference
 * lines (English and Hebrew), summaries on most. Reports the latency of the queries the UI makes (call
 * list pages with filters, call detail, search) as p50/p95 over many runs, and the database size.
 * Goals (issue 3): list page p95 < 20 ms, search p95 < 50 ms.
 *
 * Where PostgreSQL's server programs are installed, the same calls also go into the office library on a
 * throwaway PostgreSQL (src/main/store/postgres, as far as it is built), and the call list and the page of
 * a search (which calls, newest first) are timed there too, with their results compared to SQLite's
 * (docs/decisions/0006-office-mode.md).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AvailabilityState, CallListPage } from '../src/shared/types'
import type { CallInput, ListFilters } from '../src/main/store/calls'
import { PgLibrary } from '../src/main/store/postgres'
import { openOfficePool } from '../src/main/store/postgres/connection'
import { Store } from '../src/main/store'
import type { RecordingInput } from '../src/main/store/recordings'
import type { SummaryInput } from '../src/main/store/summaries'
import type { TranscriptInput } from '../src/main/store/transcripts'
import { postgresBinaries, startPostgres } from '../test/helpers/postgres'
import { referenceTranscript } from '../test/helpers/fixtures'
import { sid } from '../test/helpers/seed'
import { seededRandom, summarize, time } from './stats'

const CALLS = Number(process.env['BENCH_CALLS'] ?? 50_000)
const RUNS = 200

const english = [
  ...referenceTranscript('plumbing-en').lines,
  ...referenceTranscript('voicemail-en').lines,
].map((l) => l.text)
const hebrew = referenceTranscript('clinic-he').lines.map((l) => l.text)
const NAMES = ['Robert', 'Emma', 'Dana', 'Yossi', 'Noa', 'Michael', 'Sarah', 'David', 'Tamar', 'Avi']
const HE_NAMES = ['יוסי', 'נועה', 'דנה', 'אבי', 'תמר', 'מיכל', 'דוד', 'שרה']
const EXTRA = [
  'invoice',
  'refund',
  'appointment',
  'boiler',
  'warranty',
  'delivery',
  'estimate',
  'insurance',
  'leak',
  'schedule',
]

/** One seeded call and what belongs to it, written the same way into either library. */
interface SeedCall {
  call: CallInput
  recording?: { input: RecordingInput; availability: AvailabilityState }
  transcript?: TranscriptInput
  summary?: SummaryInput
}

/** The library's calls, made from the fixtures' lines with a fixed seed (the same every run). */
function makeCalls(): { calls: SeedCall[]; rareWord: string; rareCount: number } {
  const random = seededRandom(42)
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T
  const start = Date.UTC(2024, 0, 1)
  const span = Date.UTC(2026, 10, 1) - start
  const rareWord = 'zanzibar'
  let rareCount = 0
  const calls: SeedCall[] = []
  for (let i = 0; i < CALLS; i++) {
    const isHebrew = random() < 0.3
    const lines = isHebrew ? hebrew : english
    const callSid = sid('CA', i)
    const recordingSid = sid('RE', i)
    const startTime = start + Math.floor(random() * span)
    const outbound = random() < 0.35
    // A pool smaller than the call count, so numbers call back and caller history has depth.
    const outside = `+9725${String(Math.floor(random() * (CALLS / 10)) * 7919).padStart(8, '0')}`
    const seeded: SeedCall = {
      call: {
        sid: callSid,
        from: outbound ? '+97235550100' : outside,
        to: outbound ? outside : '+97235550100',
        direction: outbound ? 'outbound-api' : 'inbound',
        status: 'completed',
        startTime,
        durationSec: 30 + Math.floor(random() * 600),
      },
    }
    calls.push(seeded)
    if (random() < 0.04) continue // calls without a recording
    const availability = random() < 0.9 ? 'ready' : pick(['preparing', 'missing', 'failed'] as const)
    seeded.recording = {
      input: {
        sid: recordingSid,
        callSid,
        twilioStatus: 'completed',
        errorCode: null,
        channels: 2,
        durationSec: 120,
        dateCreated: startTime,
      },
      availability,
    }
    if (availability !== 'ready') continue
    const segmentCount = 12 + Math.floor(random() * 24)
    const segments = Array.from({ length: segmentCount }, (_, k) => {
      let text = pick(lines)
      if (!isHebrew && random() < 0.3) text += ` ${pick(NAMES)} asked about the ${pick(EXTRA)}.`
      if (isHebrew && random() < 0.3) text += ` ${pick(HE_NAMES)} ביקש לחזור אליו מחר.`
      if (random() < 0.0005) {
        text += ` ${rareWord}`
        rareCount++
      }
      return {
        startMs: k * 5000,
        endMs: k * 5000 + 4500,
        channel: k % 2,
        speaker: k % 2 ? 'Staff' : 'Caller',
        text,
        confidence: 0.8,
        flags: [],
      }
    })
    seeded.transcript = { language: isHebrew ? 'he' : 'en', model: 'bench', segments }
    if (random() < 0.8) {
      seeded.summary = {
        provider: 'extractive',
        model: 'local',
        summary: `${pick(NAMES)} called about the ${pick(EXTRA)}.`,
        intent: pick(EXTRA),
        sentiment: 'neutral',
        followUp: random() < 0.2,
        actionItems: [],
        keyPoints: [],
        topics: [pick(EXTRA)],
      }
    }
  }
  return { calls, rareWord, rareCount }
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'callscribe-bench-'))
  const file = join(dir, 'bench.db')
  const store = Store.open(file)
  const { calls, rareWord, rareCount } = makeCalls()

  const [, seedMs] = time(() => {
    for (let batch = 0; batch < calls.length; batch += 1000) {
      store.transaction(() => {
        for (const { call, recording, transcript, summary } of calls.slice(batch, batch + 1000)) {
          store.calls.upsertCall(call)
          if (!recording) continue
          store.recordings.upsert(recording.input, { availability: recording.availability, reason: null })
          if (!transcript) continue
          const saved = store.transcripts.save(recording.input.sid, transcript)
          if (summary) store.summaries.save(saved, 'bench-prompt', summary)
        }
      })
    }
  })
  store.maintain()

  const measure = (work: () => unknown) => summarize(Array.from({ length: RUNS }, () => time(work)[1]))
  const sample = store.calls.list({ limit: 100 }).items.map((c) => c.callSid)
  let n = 0
  const listings: Record<string, Listing> = {
    firstPage: { filters: { limit: 100 }, page: 1 },
    secondPage: { filters: { limit: 100 }, page: 2 },
    page50: { filters: { limit: 100 }, page: 51 },
    inboundOnly: { filters: { limit: 100, direction: 'inbound' }, page: 1 },
    needsFollowUp: { filters: { limit: 100, followUp: true }, page: 1 },
    failedRecordings: { filters: { limit: 100, recording: 'failed' }, page: 1 },
    lastMonth: {
      filters: { limit: 100, since: Date.UTC(2026, 9, 1), until: Date.UTC(2026, 10, 1) },
      page: 1,
    },
  }
  const desktopList = (filters: ListFilters) => store.calls.list(filters)
  const list: Record<string, ReturnType<typeof summarize>> = {}
  for (const [name, listing] of Object.entries(listings)) {
    const filters = await atPage(desktopList, listing)
    list[name] = measure(() => store.calls.list(filters))
  }
  const detail = measure(() => {
    const call = store.calls.getCall(sample[n++ % sample.length] as string)
    const recording = store.recordings.latestOf(call!.id)
    const transcript = recording ? store.transcripts.ofRecording(recording.id) : null
    return transcript ? store.summaries.latestOf(transcript.id) : null
  })
  const repeatCaller = store.calls.list({ limit: 1, direction: 'inbound' }).items[0]?.from as string
  const repeatCallerHits = store.search.query(`0${repeatCaller.slice(4, 9)}`, 30).length
  const queries = {
    commonEnglish: 'sink',
    twoWords: 'kitchen sink',
    rareWord,
    hebrew: 'תור',
    hebrewWithPrefix: 'בשלוש',
    phoneNumber: `0${repeatCaller.slice(4, 9)}`,
    noMatch: 'xylophone',
  }
  const search = Object.fromEntries(
    Object.entries(queries).map(([name, query]) => [name, measure(() => store.search.query(query, 30))]),
  )
  const office =
    postgresBinaries() !== null ? await officeLibrary(store, calls, listings, queries, repeatCaller) : null
  const historyDepth = store.calls.historyOf(repeatCaller, 100).length
  const history = measure(() => store.calls.historyOf(repeatCaller, 100))
  store.close()
  const sizeMb = Math.round((statSync(file).size / 1024 / 1024) * 10) / 10
  rmSync(dir, { recursive: true, force: true })

  const worst = (group: Record<string, { p95: number }>) =>
    Math.max(...Object.values(group).map((s) => s.p95))
  return {
    calls: CALLS,
    rareWordOccurrences: rareCount,
    seedSeconds: Math.round(seedMs / 100) / 10,
    databaseMb: sizeMb,
    listMs: list,
    detailMs: detail,
    searchMs: search,
    callerHistoryMs: history,
    callerHistoryDepth: historyDepth,
    phoneSearchHits: repeatCallerHits,
    officeLibrary: office,
    goals: {
      listPageP95Under20ms: worst(list) < 20,
      searchP95Under50ms: worst(search) < 50,
      worstListP95: worst(list),
      worstSearchP95: worst(search),
    },
  }
}

/**
 * The same calls in the office library on a throwaway PostgreSQL: the call list (every listing above) and
 * the whole search and its page (which 60 calls, newest first: what a page of 30 conversations reads)
 * timed there, the page also on SQLite, and whether both libraries answer alike.
 */
async function officeLibrary(
  store: Store,
  calls: SeedCall[],
  listings: Record<string, Listing>,
  queries: Record<string, string>,
  repeatCaller: string,
): Promise<Record<string, unknown>> {
  const server = startPostgres()
  const pool = openOfficePool(server.url, 2)
  const library = await PgLibrary.open(pool)
  try {
    const seedStarted = performance.now()
    for (let batch = 0; batch < calls.length; batch += 1000) {
      await library.transaction(async () => {
        for (const { call, recording, transcript, summary } of calls.slice(batch, batch + 1000)) {
          await library.calls.upsertCall(call)
          if (!recording) continue
          await library.recordings.upsert(recording.input, {
            availability: recording.availability,
            reason: null,
          })
          if (!transcript) continue
          const saved = await library.transcripts.save(recording.input.sid, transcript)
          if (summary) await library.summaries.save(saved, 'bench-prompt', summary)
        }
      })
    }
    await pool.query('VACUUM ANALYZE')
    const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10
    const timed = async (work: () => Promise<unknown>) => {
      const times: number[] = []
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now()
        await work()
        times.push(performance.now() - started)
      }
      return summarize(times)
    }
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
    const listMs: Record<string, unknown> = {}
    const sameList: Record<string, boolean> = {}
    for (const [name, listing] of Object.entries(listings)) {
      const filters = await atPage((f) => library.calls.list(f), listing)
      listMs[name] = await timed(() => library.calls.list(filters))
      const desktop = store.calls.list(await atPage((f) => store.calls.list(f), listing)).items
      sameList[name] = same((await library.calls.list(filters)).items, desktop)
    }
    listMs['callerHistory'] = await timed(() => library.calls.historyOf(repeatCaller, 100))
    const searchPage: Record<string, unknown> = {}
    const sameSearch: Record<string, boolean> = {}
    /** The whole search, as the UI asks it: 30 conversations with their moments and snippets. */
    const searchMs: Record<string, unknown> = {}
    for (const [name, query] of Object.entries(queries)) {
      searchPage[name] = {
        sqlite: summarize(
          Array.from({ length: RUNS }, () => time(() => store.search.callsMatching(query, 60))[1]),
        ),
        postgres: await timed(() => library.search.callsMatching(query, 60)),
      }
      searchMs[name] = await timed(() => library.search.query(query, 30))
      sameSearch[name] =
        same(store.search.callsMatching(query, 60), await library.search.callsMatching(query, 60)) &&
        same(store.search.query(query, 30), await library.search.query(query, 30))
    }
    const { rows } = await pool.query<{ mb: string }>(
      `SELECT round(pg_database_size(current_database()) / 1048576.0, 1) AS mb`,
    )
    return {
      seedSeconds,
      databaseMb: Number(rows[0]?.mb),
      listMs,
      sameList,
      searchPageMs: searchPage,
      searchMs,
      sameSearch,
    }
  } finally {
    await library.close()
    server.stop()
  }
}

/** A listing `page` pages deep (each library hands out its own cursors). */
interface Listing {
  filters: ListFilters
  page: number
}

/** The filters with the cursor of a listing's page, found by paging from the top with `list`. */
async function atPage(
  list: (filters: ListFilters) => CallListPage | Promise<CallListPage>,
  { filters, page }: Listing,
): Promise<ListFilters> {
  let cursor: string | undefined
  for (let i = 1; i < page; i++) cursor = (await list({ ...filters, cursor })).nextCursor ?? undefined
  return { ...filters, cursor }
}

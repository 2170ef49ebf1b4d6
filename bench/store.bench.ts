/**
 * The library at office scale: 50,000 calls with transcripts built from the fixture calls' reference
 * lines (English and Hebrew), summaries on most. Reports the latency of the queries the UI makes (call
 * list pages with filters, call detail, search) as p50/p95 over many runs, and the database size.
 * Goals (issue 3): list page p95 < 20 ms, search p95 < 50 ms.
 *
 * Where PostgreSQL's server programs are installed, the same calls' text also goes into the office
 * library's search index on a throwaway PostgreSQL (src/main/store/postgres), and the page of a search
 * (which calls, newest first) is timed on both engines (docs/decisions/0006-office-mode.md).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openOfficePool } from '../src/main/office/postgres'
import { Store } from '../src/main/store'
import { migrateOfficeLibrary } from '../src/main/store/postgres/migrate'
import { PgCallSearch } from '../src/main/store/postgres/search-calls'
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

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'callscribe-bench-'))
  const file = join(dir, 'bench.db')
  const store = Store.open(file)
  const random = seededRandom(42)
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T
  const start = Date.UTC(2024, 0, 1)
  const span = Date.UTC(2026, 10, 1) - start
  const rareWord = 'zanzibar'
  let rareCount = 0
  /** What the office index gets of each call (only when PostgreSQL is here to take it). */
  const officeText: { base: number; numbers: string[]; segments: string[]; summary: string | null }[] = []
  const withPostgres = postgresBinaries() !== null

  const [, seedMs] = time(() => {
    for (let batch = 0; batch < CALLS; batch += 1000) {
      store.transaction(() => {
        for (let i = batch; i < Math.min(CALLS, batch + 1000); i++) {
          const isHebrew = random() < 0.3
          const lines = isHebrew ? hebrew : english
          const callSid = sid('CA', i)
          const recordingSid = sid('RE', i)
          const startTime = start + Math.floor(random() * span)
          const outbound = random() < 0.35
          // A pool smaller than the call count, so numbers call back and caller history has depth.
          const outside = `+9725${String(Math.floor(random() * (CALLS / 10)) * 7919).padStart(8, '0')}`
          const call = store.calls.upsertCall({
            sid: callSid,
            from: outbound ? '+97235550100' : outside,
            to: outbound ? outside : '+97235550100',
            direction: outbound ? 'outbound-api' : 'inbound',
            status: 'completed',
            startTime,
            durationSec: 30 + Math.floor(random() * 600),
          })
          const office = {
            base: call.search_base,
            numbers: [call.from_number, call.to_number],
            segments: [] as string[],
            summary: null as string | null,
          }
          if (withPostgres) officeText.push(office)
          if (random() < 0.04) continue // calls without a recording
          const state = random() < 0.9 ? 'ready' : pick(['preparing', 'missing', 'failed'] as const)
          store.recordings.upsert(
            {
              sid: recordingSid,
              callSid,
              twilioStatus: 'completed',
              errorCode: null,
              channels: 2,
              durationSec: 120,
              dateCreated: startTime,
            },
            { availability: state, reason: null },
          )
          if (state !== 'ready') continue
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
          const transcript = store.transcripts.save(recordingSid, {
            language: isHebrew ? 'he' : 'en',
            model: 'bench',
            segments,
          })
          office.segments = segments.map((segment) => segment.text)
          if (random() < 0.8) {
            const summary = `${pick(NAMES)} called about the ${pick(EXTRA)}.`
            office.summary = summary
            store.summaries.save(transcript, 'bench-prompt', {
              provider: 'extractive',
              model: 'local',
              summary,
              intent: pick(EXTRA),
              sentiment: 'neutral',
              followUp: random() < 0.2,
              actionItems: [],
              keyPoints: [],
              topics: [pick(EXTRA)],
            })
          }
        }
      })
    }
  })
  store.maintain()

  const measure = (work: () => unknown) => summarize(Array.from({ length: RUNS }, () => time(work)[1]))
  const pageTwo = store.calls.list({ limit: 100 }).nextCursor ?? undefined
  const sample = store.calls.list({ limit: 100 }).items.map((c) => c.callSid)
  const deepCursor = (() => {
    let cursor: string | undefined
    for (let i = 0; i < 50; i++) cursor = store.calls.list({ limit: 100, cursor }).nextCursor ?? undefined
    return cursor
  })()
  let n = 0
  const list = {
    firstPage: measure(() => store.calls.list({ limit: 100 })),
    secondPage: measure(() => store.calls.list({ limit: 100, cursor: pageTwo })),
    page50: measure(() => store.calls.list({ limit: 100, cursor: deepCursor })),
    inboundOnly: measure(() => store.calls.list({ limit: 100, direction: 'inbound' })),
    needsFollowUp: measure(() => store.calls.list({ limit: 100, followUp: true })),
    failedRecordings: measure(() => store.calls.list({ limit: 100, recording: 'failed' })),
    lastMonth: measure(() =>
      store.calls.list({ limit: 100, since: Date.UTC(2026, 9, 1), until: Date.UTC(2026, 10, 1) }),
    ),
  }
  const detail = measure(() => {
    const call = store.calls.getCall(sample[n++ % sample.length] as string)
    const recording = store.recordings.latestOf(call!.id)
    const transcript = recording ? store.transcripts.ofRecording(recording.id) : null
    return transcript ? store.summaries.latestOf(transcript.id) : null
  })
  const repeatCaller = store.calls.list({ limit: 1, direction: 'inbound' }).items[0]?.from as string
  const repeatCallerHits = store.search.query(`0${repeatCaller.slice(4, 9)}`, 30).length
  const search = {
    commonEnglish: measure(() => store.search.query('sink', 30)),
    twoWords: measure(() => store.search.query('kitchen sink', 30)),
    rareWord: measure(() => store.search.query(rareWord, 30)),
    hebrew: measure(() => store.search.query('תור', 30)),
    hebrewWithPrefix: measure(() => store.search.query('בשלוש', 30)),
    phoneNumber: measure(() => store.search.query(`0${repeatCaller.slice(4, 9)}`, 30)),
    noMatch: measure(() => store.search.query('xylophone', 30)),
  }
  const queries = {
    commonEnglish: 'sink',
    twoWords: 'kitchen sink',
    rareWord,
    hebrew: 'תור',
    hebrewWithPrefix: 'בשלוש',
    phoneNumber: `0${repeatCaller.slice(4, 9)}`,
    noMatch: 'xylophone',
  }
  const searchPage = withPostgres ? await searchPageOnBoth(store, officeText, queries) : null
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
    searchPageMs: searchPage,
    callerHistoryMs: history,
    callerHistoryDepth: historyDepth,
    phoneSearchHits: repeatCallerHits,
    goals: {
      listPageP95Under20ms: worst(list) < 20,
      searchP95Under50ms: worst(search) < 50,
      worstListP95: worst(list),
      worstSearchP95: worst(search),
    },
  }
}

/**
 * The page of a search (which 60 calls, newest first: what a page of 30 conversations reads) on SQLite
 * and on PostgreSQL, from the same calls' text. PostgreSQL gets its own throwaway server.
 */
async function searchPageOnBoth(
  store: Store,
  calls: { base: number; numbers: string[]; segments: string[]; summary: string | null }[],
  queries: Record<string, string>,
): Promise<Record<string, unknown>> {
  const server = startPostgres()
  const pool = openOfficePool(server.url, 2)
  try {
    await migrateOfficeLibrary(pool)
    const seedStarted = performance.now()
    const client = await pool.connect()
    try {
      const index = new PgCallSearch(client)
      for (let at = 0; at < calls.length; at += 1000) {
        await client.query('BEGIN')
        for (const call of calls.slice(at, at + 1000)) {
          await index.indexNumbers(call.base, call.numbers)
          if (call.segments.length) await index.indexSegments(call.base, call.segments)
          if (call.summary) await index.indexSummary(call.base, call.summary)
        }
        await client.query('COMMIT')
      }
    } finally {
      client.release()
    }
    await pool.query('VACUUM ANALYZE search_calls')
    const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10
    const search = new PgCallSearch(pool)
    const timed = async (work: () => Promise<unknown>) => {
      const times: number[] = []
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now()
        await work()
        times.push(performance.now() - started)
      }
      return summarize(times)
    }
    const sqlite: Record<string, unknown> = {}
    const postgres: Record<string, unknown> = {}
    const sameCalls: Record<string, boolean> = {}
    for (const [name, query] of Object.entries(queries)) {
      sqlite[name] = summarize(
        Array.from({ length: RUNS }, () => time(() => store.search.callsMatching(query, 60))[1]),
      )
      postgres[name] = await timed(() => search.callsMatching(query, 60))
      sameCalls[name] =
        JSON.stringify(store.search.callsMatching(query, 60)) ===
        JSON.stringify(await search.callsMatching(query, 60))
    }
    const { rows } = await pool.query<{ mb: string }>(
      `SELECT round(pg_total_relation_size('search_calls') / 1048576.0, 1) AS mb`,
    )
    return {
      sqlite,
      postgres,
      sameCalls,
      postgresSeedSeconds: seedSeconds,
      postgresIndexMb: Number(rows[0]?.mb),
    }
  } finally {
    await pool.end()
    server.stop()
  }
}

import { describe, expect, it } from 'vitest'
import type { AvailabilityState } from '../../src/shared/types'
import type { CallInput, ListFilters } from '../../src/main/store/calls'
import type { RecordingInput } from '../../src/main/store/recordings'
import type { SummaryInput } from '../../src/main/store/summaries'
import type { CallListPage } from '../../src/shared/types'
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

const DIRECTIONS = [
  'inbound',
  'outbound-api',
  'outbound-dial',
  'trunking-originating',
  'trunking-terminating',
]
const STATES: AvailabilityState[] = ['ready', 'ready', 'ready', 'preparing', 'missing', 'failed']

function summary(followUp: boolean): SummaryInput {
  return {
    provider: 'extractive',
    model: 'local',
    summary: 'The caller asked about the invoice.',
    intent: 'billing',
    sentiment: 'neutral',
    followUp,
    actionItems: [],
    keyPoints: [],
    topics: ['invoice'],
  }
}

/**
 * A library with what the list has to get right: every Twilio direction, forwarded conversations (one
 * child leg arriving before its parent), calls without recordings, recordings in every state, several
 * recordings on one conversation, transcripts, summaries with and without follow-up, repeat callers.
 */
async function seedBoth(seeded: BothLibraries): Promise<void> {
  let state = 11
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T
  for (let i = 0; i < 160; i++) {
    const outside = `+97250${String(1000 + Math.floor(random() * 40)).padStart(7, '0')}`
    const direction = pick(DIRECTIONS)
    const outbound = ['outbound-api', 'outbound-dial', 'trunking-terminating'].includes(direction)
    const call: CallInput = {
      sid: sid('CA', i),
      from: outbound ? '+97235550100' : outside,
      to: outbound ? outside : '+97235550100',
      direction,
      status: 'completed',
      // Some calls share a start second: their search blocks must still differ.
      startTime: Date.UTC(2026, 0, 1) + Math.floor(random() * 90) * 86_400_000 + (i % 7 === 0 ? 0 : i * 1000),
      durationSec: 60,
    }
    const forwarded = i % 9 === 0
    const leg: CallInput = {
      ...call,
      sid: sid('CA', `leg-${i}`),
      direction: 'outbound-dial',
      from: call.to,
      to: `+97254${i}`,
      parentCallSid: call.sid,
      startTime: call.startTime + 2000,
    }
    // One child leg reaches the library before its parent (a sync page boundary), and someone reviews it
    // while it is shown alone: the review follows it into the conversation.
    if (forwarded && i % 2 === 0)
      await writeBoth(
        seeded,
        (s) => {
          const alone = s.calls.upsertCall(leg, 1)
          if (i % 4 === 0) s.reviews.change(alone.id, { assignee: 'Dana', note: 'seen alone' }, 'Noa', 1)
        },
        async (l) => {
          const alone = await l.calls.upsertCall(leg, 1)
          if (i % 4 === 0)
            await l.reviews.change(alone.id, { assignee: 'Dana', note: 'seen alone' }, 'Noa', 1)
        },
      )
    await writeBoth(
      seeded,
      (s) => s.calls.upsertCall(call, 1),
      (l) => l.calls.upsertCall(call, 1),
    )
    if (forwarded && i % 2 === 1)
      await writeBoth(
        seeded,
        (s) => s.calls.upsertCall(leg, 1),
        (l) => l.calls.upsertCall(leg, 1),
      )
    // People's decisions, which win over the summary's suggestion (null hands the flag back to it).
    if (random() < 0.3) {
      const change = {
        followUp: pick([true, false, null]),
        assignee: pick(['Dana', 'נועה', null]),
        note: pick(['', 'Call back on Sunday', 'לחזור ללקוח']),
      }
      await writeBoth(
        seeded,
        (s) => s.reviews.change(s.calls.conversationOf(call.sid)!.id, change, 'Noa', 2),
        async (l) => l.reviews.change((await l.calls.conversationOf(call.sid))!.id, change, 'Noa', 2),
      )
    }
    if (random() < 0.1) continue // no recording
    const recordings = forwarded ? [call.sid, leg.sid] : [call.sid]
    for (const [n, callSid] of recordings.entries()) {
      const recording: RecordingInput = {
        sid: sid('RE', `${i}-${n}`),
        callSid,
        twilioStatus: 'completed',
        errorCode: null,
        channels: 2,
        durationSec: 60,
        dateCreated: call.startTime + n * 5000,
      }
      const availability = pick(STATES)
      await writeBoth(
        seeded,
        (s) => s.recordings.upsert(recording, { availability, reason: null }, 1),
        (l) => l.recordings.upsert(recording, { availability, reason: null }, 1),
      )
      if (availability !== 'ready') continue
      const transcript = transcriptOf(['Hello, this is about the invoice.', `Call number ${i}.`])
      const followUp = random() < 0.3
      const withSummary = random() < 0.7
      await writeBoth(
        seeded,
        (s) => {
          const saved = s.transcripts.save(recording.sid, transcript, 1)
          if (withSummary) s.summaries.save(saved, 'prompt', summary(followUp), 1)
        },
        async (l) => {
          const saved = await l.transcripts.save(recording.sid, transcript, 1)
          if (withSummary) await l.summaries.save(saved, 'prompt', summary(followUp), 1)
        },
      )
    }
  }
}

/** Every page of a listing, following each library's own cursors. */
async function allPages(filters: Omit<ListFilters, 'limit' | 'cursor'>) {
  const read = async (list: (filters: ListFilters) => Promise<CallListPage> | CallListPage) => {
    const items = []
    let cursor: string | undefined
    for (;;) {
      const page = await list({ ...filters, limit: 25, cursor })
      items.push(...page.items)
      if (!page.nextCursor) return items
      cursor = page.nextCursor
    }
  }
  return {
    desktop: await read((f) => libraries.desktop.calls.list(f)),
    office: await read((f) => libraries.office.calls.list(f)),
  }
}

describe('the call list of the office library (PostgreSQL) is the desktop library’s (SQLite)', () => {
  it.for<[string, Omit<ListFilters, 'limit' | 'cursor'>]>([
    ['every conversation, page by page', {}],
    ['inbound only', { direction: 'inbound' }],
    ['outbound only', { direction: 'outbound' }],
    ['recordings that failed', { recording: 'failed' }],
    ['calls without audio', { recording: 'missing' }],
    ['needs follow-up', { followUp: true }],
    ['does not need follow-up', { followUp: false }],
    ['one month', { since: Date.UTC(2026, 1, 1), until: Date.UTC(2026, 2, 1) }],
    [
      'inbound ready calls in a month',
      { direction: 'inbound', recording: 'ready', since: Date.UTC(2026, 0, 15) },
    ],
  ])('%s', async ([, filters], { skip }) => {
    skip(!available, NO_POSTGRES)
    const { desktop, office } = await allPages(filters)
    expect(office).toEqual(desktop)
    expect(desktop.length).toBeGreaterThan(0)
  })

  it('shows a forwarded call once, with who answered, whichever leg arrived first', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const { desktop, office } = await allPages({})
    const forwarded = office.filter((item) => item.answeredBy !== null)
    expect(forwarded.length).toBeGreaterThan(10)
    expect(office.some((item) => item.callSid === sid('CA', 'leg-0'))).toBe(false)
    expect(office).toEqual(desktop)
  })

  it('shows people’s decisions: assignment, note, a flag that overrides the summary', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const { desktop, office } = await allPages({})
    expect(office.filter((item) => item.assignee === 'נועה').length).toBeGreaterThan(3)
    expect(office.filter((item) => item.hasNote).length).toBeGreaterThan(3)
    // The review made on a leg shown alone now belongs to its conversation.
    expect(office.find((item) => item.callSid === sid('CA', 0))).toMatchObject({
      assignee: 'Dana',
      hasNote: true,
    })
    expect(office).toEqual(desktop)
  })

  it('a note made on a leg shown alone is found on its conversation, and only its current words', async ({
    skip,
  }) => {
    skip(!available, NO_POSTGRES)
    const before = libraries.desktop.search.query('seen alone', 50)
    expect(before.some((hit) => hit.callSid === sid('CA', 0))).toBe(true)
    expect(await libraries.office.search.query('seen alone', 50)).toEqual(before)
    await writeBoth(
      libraries,
      (s) => s.reviews.change(s.calls.conversationOf(sid('CA', 0))!.id, { note: 'rewritten' }, 'Noa', 3),
      async (l) =>
        l.reviews.change((await l.calls.conversationOf(sid('CA', 0)))!.id, { note: 'rewritten' }, 'Noa', 3),
    )
    for (const [query, found] of [
      ['seen alone', false],
      ['rewritten', true],
    ] as const) {
      const hits = libraries.desktop.search.query(query, 50)
      expect(hits.some((hit) => hit.callSid === sid('CA', 0))).toBe(found)
      expect(await libraries.office.search.query(query, 50)).toEqual(hits)
    }
  })

  it('gives a caller’s history, newest first', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const number = (await libraries.office.calls.list({ limit: 1, direction: 'inbound' })).items[0]!.from
    const history = await libraries.office.calls.historyOf(number, 100)
    expect(history.length).toBeGreaterThan(1)
    expect(history).toEqual(libraries.desktop.calls.historyOf(number, 100))
  })

  it('takes the same call again without change (sync overlaps rely on it)', async ({ skip }) => {
    skip(!available, NO_POSTGRES)
    const before = await libraries.office.calls.getCall(sid('CA', 5))
    const again = {
      sid: before!.sid,
      from: before!.from_number,
      to: before!.to_number,
      direction: before!.direction,
      status: 'completed',
      startTime: before!.start_time,
      durationSec: before!.duration_sec,
    }
    await libraries.office.transaction(() => libraries.office.calls.upsertCall(again, 1))
    expect(await libraries.office.calls.getCall(sid('CA', 5))).toEqual(before)
    expect((await allPages({})).office).toEqual((await allPages({})).desktop)
  })
})

import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store'
import { tempDir } from '../helpers/temp'
import { seedCall, sid, transcriptOf } from '../helpers/seed'

let store: Store
beforeEach(async () => {
  store = Store.open(join(tempDir(), 'calls.db'))
  return () => store.close()
})

const MINUTE = 60_000
const base = Date.UTC(2026, 10, 20, 8, 0, 0)

describe('calls and recordings', () => {
  it('upserting the same call and recording twice keeps one row each and takes the newer facts', async () => {
    seedCall(store, 1, {
      status: 'in-progress',
      durationSec: null,
      recording: { twilioStatus: 'processing' },
    })
    seedCall(store, 1, { status: 'completed', durationSec: 80, recording: { twilioStatus: 'completed' } })
    expect(store.db.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(1)
    expect(store.db.prepare('SELECT count(*) FROM recordings').pluck().get()).toBe(1)
    const call = store.calls.getCall(sid('CA', 1))
    expect(call?.status).toBe('completed')
    expect(call?.duration_sec).toBe(80)
    expect(store.recordings.get(sid('RE', 1))?.twilio_status).toBe('completed')
  })

  it('a recording for an unknown call is refused', async () => {
    expect(() =>
      store.recordings.upsert(
        {
          sid: sid('RE', 9),
          callSid: sid('CA', 9),
          twilioStatus: 'completed',
          errorCode: null,
          channels: 1,
          durationSec: 1,
          dateCreated: 1,
        },
        { availability: 'preparing', reason: null },
      ),
    ).toThrow(/unknown call/)
  })

  it('lists newest first and pages with a cursor without skipping or repeating calls', async () => {
    for (let i = 0; i < 25; i++) seedCall(store, i, { startTime: base + (i % 5 === 0 ? 0 : i) * MINUTE })
    const seen: string[] = []
    let cursor: string | undefined
    for (;;) {
      const page = store.calls.list({ limit: 7, cursor })
      seen.push(...page.items.map((item) => item.callSid))
      const times = page.items.map((item) => item.startedAt)
      expect(times).toEqual([...times].sort((a, b) => b - a))
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    expect(seen).toHaveLength(25)
    expect(new Set(seen).size).toBe(25)
  })

  it('filters by direction, date range, recording state and follow-up', async () => {
    seedCall(store, 'in', { direction: 'inbound', startTime: base })
    seedCall(store, 'out', {
      direction: 'outbound-dial',
      startTime: base + MINUTE,
      from: '+97235550100',
      to: '+972541112222',
    })
    seedCall(store, 'none', { startTime: base + 2 * MINUTE, recording: null })
    seedCall(store, 'absent', {
      startTime: base + 3 * MINUTE,
      recording: { twilioStatus: 'absent', errorCode: 13617 },
    })
    const followed = seedCall(store, 'follow', {
      startTime: base + 4 * MINUTE,
      transcript: transcriptOf(['Please call me back tomorrow.']),
    })
    const recording = store.recordings.get(followed.recordingSid as string)
    const transcript = store.transcripts.ofRecording(recording?.id as number)
    store.summaries.save(transcript as { id: number; contentHash: string }, 'p1', {
      provider: 'extractive',
      model: 'local',
      summary: 'Caller wants a call back.',
      intent: 'callback',
      sentiment: 'neutral',
      followUp: true,
      actionItems: [],
      keyPoints: [],
      topics: [],
    })

    const sids = (filters: Parameters<typeof store.calls.list>[0]) =>
      store.calls.list(filters).items.map((c) => c.callSid)
    expect(sids({ limit: 50, direction: 'outbound' })).toEqual([sid('CA', 'out')])
    expect(sids({ limit: 50, direction: 'inbound' })).not.toContain(sid('CA', 'out'))
    expect(sids({ limit: 50, since: base + MINUTE, until: base + 3 * MINUTE })).toEqual([
      sid('CA', 'none'),
      sid('CA', 'out'),
    ])
    expect(sids({ limit: 50, recording: 'missing' })).toEqual([sid('CA', 'absent'), sid('CA', 'none')])
    expect(sids({ limit: 50, followUp: true })).toEqual([sid('CA', 'follow')])
    const item = store.calls.list({ limit: 1 }).items[0]
    expect(item).toMatchObject({
      hasTranscript: true,
      hasSummary: true,
      followUp: true,
      recording: 'preparing',
    })
  })

  it('caller history lists every call with the same outside number, newest first', async () => {
    seedCall(store, 'a', { from: '+972501111111', startTime: base })
    seedCall(store, 'b', { from: '+972502222222', startTime: base + MINUTE })
    seedCall(store, 'c', {
      direction: 'outbound-api',
      from: '+97235550100',
      to: '+972501111111',
      startTime: base + 2 * MINUTE,
    })
    expect(store.calls.historyOf('+972501111111', 10).map((c) => c.callSid)).toEqual([
      sid('CA', 'c'),
      sid('CA', 'a'),
    ])
  })

  it('an unknown cursor is a clear error, not an empty page', async () => {
    expect(() => store.calls.list({ limit: 10, cursor: 'garbage' })).toThrow(/cursor/)
  })
})

describe('transcripts and summaries', () => {
  it('saving a transcript again replaces it; the same content is a no-op', async () => {
    const { recordingSid } = seedCall(store, 1)
    const first = store.transcripts.save(recordingSid as string, transcriptOf(['one', 'two']))
    expect(store.transcripts.save(recordingSid as string, transcriptOf(['one', 'two']))).toEqual({
      ...first,
      changed: false,
    })
    const second = store.transcripts.save(recordingSid as string, transcriptOf(['one', 'two', 'three']))
    expect(second.changed).toBe(true)
    expect(store.db.prepare('SELECT count(*) FROM transcripts').pluck().get()).toBe(1)
    expect(store.db.prepare('SELECT count(*) FROM segments').pluck().get()).toBe(3)
    expect(store.search.query('one', 10)).toHaveLength(1)
    store.transcripts.save(recordingSid as string, transcriptOf(['one']))
    expect(store.search.query('three', 10)).toEqual([]) // the replaced transcript's words are gone
    expect(store.search.query('one', 10)).toHaveLength(1)
  })

  it('stores a summary once per transcript version and prompt', async () => {
    const { recordingSid } = seedCall(store, 1, { transcript: transcriptOf(['hello']) })
    const transcript = store.transcripts.ofRecording(
      store.recordings.get(recordingSid as string)?.id as number,
    )
    const summary = {
      provider: 'openai',
      model: 'gpt',
      summary: 'Said hello.',
      intent: null,
      sentiment: null,
      followUp: false,
      actionItems: [{ text: 'Reply', owner: null, due: null, citations: [{ segmentIndex: 0 }] }],
      keyPoints: [],
      topics: ['greeting'],
    }
    const ref = transcript as { id: number; contentHash: string }
    expect(store.summaries.save(ref, 'prompt-v1', summary)).toBe(true)
    expect(store.summaries.save(ref, 'prompt-v1', summary)).toBe(false)
    expect(store.summaries.has(ref.id, ref.contentHash, 'prompt-v1')).toBe(true)
    expect(store.summaries.latestOf(ref.id)).toMatchObject({
      summary: 'Said hello.',
      topics: ['greeting'],
      actionItems: [{ text: 'Reply' }],
    })
    expect(store.db.prepare('SELECT count(*) FROM summaries').pluck().get()).toBe(1)
  })
})

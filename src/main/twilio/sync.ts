import type { JobQueue } from '../jobs/queue'
import { enqueueRecordingPipeline } from '../pipeline'
import type { RecordingTracker } from '../recordings/tracker'
import { fromTwilioStatus, type AvailabilityRecord } from '../recordings/availability'
import type { Store } from '../store'
import type { TwilioConnection } from './client'

/** Twilio's date filters are per day: look back this far behind the cursor and let upserts dedupe. */
export const OVERLAP_MS = 36 * 60 * 60_000
const UNFINISHED_RECORDING = ['in-progress', 'paused', 'stopped', 'processing']
const UNFINISHED_CALL = ['queued', 'ringing', 'in-progress']

export interface SyncProgress {
  pages: number
  recordings: number
  calls: number
}

export interface SyncPassResult extends SyncProgress {
  newRecordings: number
  changedCalls: string[]
  /** Recordings Twilio is still producing: worth asking about again soon. */
  pendingAtTwilio: number
}

interface RecordingFacts {
  sid: string
  callSid: string
  status: string
  errorCode: number | null
  channels: number
  duration: string | null
  dateCreated: Date
}

interface CallFacts {
  sid: string
  from: string
  to: string
  direction: string
  status: string
  startTime: Date | null
  dateCreated: Date
  duration: string | null
}

/** Recordings Twilio had not finished producing when it last told us about them. */
function unfinishedRecordings(store: Store): string[] {
  return store.db
    .prepare(
      `SELECT sid FROM recordings WHERE twilio_status IN (${UNFINISHED_RECORDING.map(() => '?').join(',')})`,
    )
    .pluck()
    .all(...UNFINISHED_RECORDING) as string[]
}

interface PageLike<T> {
  instances: T[]
  // The SDK returns undefined (not a promise) when there is no next page.
  nextPage(): Promise<PageLike<T>> | undefined
}

/** Walks the SDK's pages; the SDK follows next_page_uri exactly as the server gave it. */
async function forEachPage<T>(
  first: Promise<PageLike<T>>,
  visit: (items: T[]) => Promise<void> | void,
): Promise<void> {
  let page: PageLike<T> | undefined = await first
  while (page) {
    await visit(page.instances)
    page = await page.nextPage()
  }
}

function seconds(duration: string | null): number | null {
  const value = Number(duration)
  return duration === null || !Number.isFinite(value) || value < 0 ? null : Math.round(value)
}

/**
 * One pass over the account: every recording created since the cursor (minus the overlap) with its call,
 * every finished call (so calls without a recording show up too), and a re-check of recordings that were
 * still being processed. The cursors advance only after a complete pass, so a crash or error mid-pass
 * repeats work (harmlessly: everything is an upsert by SID) instead of skipping it.
 */
export async function syncPass(
  connection: TwilioConnection,
  deps: {
    store: Store
    queue: JobQueue
    tracker: RecordingTracker
    firstSyncDays: number
    onProgress?: (p: SyncProgress) => void
  },
  now = Date.now(),
): Promise<SyncPassResult> {
  const { store, queue, tracker } = deps
  const { client } = connection
  const progress: SyncProgress = { pages: 0, recordings: 0, calls: 0 }
  const changedCalls = new Set<string>()
  const seenRecordings = new Set<string>()
  let newRecordings = 0
  const since = (source: string) => {
    const cursor = store.syncState.get(source).cursor
    return new Date(cursor ? Number(cursor) - OVERLAP_MS : now - deps.firstSyncDays * 86_400_000)
  }

  const saveCall = (call: CallFacts) => {
    store.calls.upsertCall({
      sid: call.sid,
      from: call.from,
      to: call.to,
      direction: call.direction,
      status: call.status,
      startTime: (call.startTime ?? call.dateCreated).getTime(),
      durationSec: seconds(call.duration),
    })
    changedCalls.add(call.sid)
  }

  const saveRecording = (recording: RecordingFacts) => {
    const existing = store.calls.getRecording(recording.sid)
    if (!existing) newRecordings++
    const twilioState = fromTwilioStatus(recording.status, recording.errorCode)
    store.calls.upsertRecording(
      {
        sid: recording.sid,
        callSid: recording.callSid,
        twilioStatus: recording.status,
        errorCode: recording.errorCode,
        channels: recording.channels === 2 ? 2 : 1,
        durationSec: seconds(recording.duration),
        dateCreated: recording.dateCreated.getTime(),
      },
      twilioState,
    )
    // A verified local copy stays playable whatever Twilio says later (we may have deleted theirs).
    const next: AvailabilityRecord =
      existing?.availability === 'ready'
        ? { availability: 'ready', reason: null }
        : existing?.availability === 'failed' && twilioState.availability === 'preparing'
          ? { availability: 'failed', reason: existing.availability_reason }
          : twilioState
    tracker.transition(recording.sid, next)
    if (recording.status === 'completed' && next.availability === 'preparing') {
      enqueueRecordingPipeline(queue, recording.sid)
    }
    seenRecordings.add(recording.sid)
    changedCalls.add(recording.callSid)
  }

  const fetchCall = async (callSid: string) => {
    if (store.calls.getCall(callSid)) return
    const call = await client.calls(callSid).fetch()
    store.transaction(() => saveCall(call))
  }

  // Finished calls first: a call nobody recorded is listed too (as "no recording"), and recordings of
  // these calls need no call fetch of their own.
  let newestCall = Number(store.syncState.get('twilio-calls').cursor ?? 0)
  await forEachPage(client.calls.page({ startTimeAfter: since('twilio-calls'), pageSize: 100 }), (calls) => {
    store.transaction(() => {
      for (const call of calls) {
        if (UNFINISHED_CALL.includes(call.status)) continue
        saveCall(call)
        newestCall = Math.max(newestCall, (call.startTime ?? call.dateCreated).getTime())
      }
    })
    progress.pages++
    progress.calls += calls.length
    deps.onProgress?.({ ...progress })
  })

  // Recordings, newest first.
  let newestRecording = Number(store.syncState.get('twilio-recordings').cursor ?? 0)
  await forEachPage(
    client.recordings.page({ dateCreatedAfter: since('twilio-recordings'), pageSize: 100 }),
    async (recordings) => {
      for (const recording of recordings) await fetchCall(recording.callSid)
      store.transaction(() => {
        for (const recording of recordings) {
          saveRecording(recording)
          newestRecording = Math.max(newestRecording, recording.dateCreated.getTime())
        }
      })
      progress.pages++
      progress.recordings += recordings.length
      deps.onProgress?.({ ...progress })
    },
  )

  // Recordings Twilio was still working on, now older than the window: ask about each directly.
  const pending = unfinishedRecordings(store)
  for (const sid of pending.filter((sid) => !seenRecordings.has(sid))) {
    const recording = await client.recordings(sid).fetch()
    store.transaction(() => saveRecording(recording))
  }

  store.transaction(() => {
    store.syncState.set('twilio-recordings', {
      cursor: newestRecording ? String(newestRecording) : null,
      lastOkAt: now,
      lastError: null,
    })
    store.syncState.set('twilio-calls', {
      cursor: newestCall ? String(newestCall) : null,
      lastOkAt: now,
      lastError: null,
    })
  })
  const pendingAtTwilio = unfinishedRecordings(store).length
  return { ...progress, newRecordings, changedCalls: [...changedCalls], pendingAtTwilio }
}

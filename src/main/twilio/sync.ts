import { decodeNotice, encodeNotice, notice, NoticeError, noticeOf, type Notice } from '../../shared/notice'
import type { JobQueue } from '../jobs/queue'
import { enqueueRecordingPipeline } from '../pipeline'
import type { RecordingTracker } from '../recordings/tracker'
import { fromTwilioStatus, type AvailabilityRecord } from '../recordings/availability'
import type { Library } from '../store/library'
import type { RecordingRow } from '../store/recordings'
import type { PendingItem } from '../store/twilio-pending'
import { classifyTwilioError, failsWholeSync, type TwilioConnection } from './client'

/** A quick listing reads back this far behind the newest item it already has (clocks, late writes). */
export const QUICK_OVERLAP_MS = 15 * 60_000
/** A deep listing, every few hours, reads the last week again: late arrivals further back than that. */
export const DEEP_LOOKBACK_MS = 7 * 86_400_000
export const DEEP_EVERY_MS = 6 * 3_600_000
/** Unfinished items are asked about after 10 s, 20 s, 40 s … at most every 10 min, for at most a day. */
export const PENDING_FIRST_CHECK_MS = 10_000
export const PENDING_MAX_INTERVAL_MS = 10 * 60_000
export const PENDING_GIVE_UP_MS = 24 * 3_600_000
/** A 429 or 5xx is retried in place this many times; a Retry-After longer than the cap ends the pass. */
const RETRIES = 5
const RETRY_AFTER_CAP_MS = 60_000

const UNFINISHED_RECORDING = ['in-progress', 'paused', 'stopped', 'processing']
const UNFINISHED_CALL = ['queued', 'ringing', 'in-progress']

export interface SyncProgress {
  pages: number
  recordings: number
  calls: number
}

/** What a pass lists: the first import, a quick look at what is new, a deep look back, or nothing. */
export type ListingMode = 'first' | 'quick' | 'deep' | 'older' | 'none'

export interface SyncProblem {
  sid: string
  reason: Notice
}

export interface SyncPassResult extends SyncProgress {
  mode: ListingMode
  newRecordings: number
  changedCalls: string[]
  /** Calls and recordings Twilio has not finished; `nextCheckAt` is when the first is due again. */
  pendingAtTwilio: number
  nextCheckAt: number | null
  /** Items that could not be read; each affected only itself. */
  problems: SyncProblem[]
}

interface RecordingFacts {
  sid: string
  callSid: string | null
  conferenceSid?: string | null
  status: string
  errorCode: number | null
  channels: number
  duration: string | null
  dateCreated: Date
}

interface CallFacts {
  sid: string
  from: string | null
  to: string | null
  direction: string
  status: string
  startTime: Date | null
  dateCreated: Date
  duration: string | null
  parentCallSid: string | null
}

interface PageLike<T> {
  instances: T[]
  // The SDK returns undefined (not a promise) when there is no next page.
  nextPage(): Promise<PageLike<T>> | undefined
}

export interface SyncDeps {
  library: Library
  queue: JobQueue
  tracker: RecordingTracker
  firstSyncDays: number
  /** The poll interval has passed (or the user asked): list what is new, not only the pending checks. */
  listDue?: boolean
  /** The user asked ("Sync now", the machine woke up): ask about every unfinished item, due or not. */
  checkAllPending?: boolean
  onProgress?: (p: SyncProgress) => void
  signal?: AbortSignal
}

function seconds(duration: string | null): number | null {
  const value = Number(duration)
  return duration === null || !Number.isFinite(value) || value < 0 ? null : Math.round(value)
}

/** A date field's time, or null when Twilio sent none or one that does not parse. */
function timeOf(date: unknown): number | null {
  const value = date instanceof Date ? date.getTime() : NaN
  return Number.isFinite(value) ? value : null
}

function time(date: unknown, what: string): number {
  const value = timeOf(date)
  if (value === null) throw new NoticeError(notice('twilio.invalid-record', { detail: `no valid ${what}` }))
  return value
}

const isNotFound = (error: unknown) => (error as { status?: number } | null)?.status === 404

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error)
    const timer = setTimeout(done, ms)
    function done() {
      signal?.removeEventListener('abort', abort)
      resolve()
    }
    function abort() {
      clearTimeout(timer)
      reject(signal?.reason as Error)
    }
    signal?.addEventListener('abort', abort, { once: true })
  })
}

/** Which listing this pass does: the first import, an import of older calls, a deep look, a quick one. */
async function chooseMode(library: Library, listDue: boolean, now: number): Promise<ListingMode> {
  if ((await library.syncState.get('twilio-calls')).lastOkAt === null) return 'first'
  if ((await library.syncState.get('twilio-older')).cursor !== null) return 'older'
  const lastDeep = (await library.syncState.get('twilio-deep')).lastOkAt
  if (lastDeep === null || now - lastDeep >= DEEP_EVERY_MS) return 'deep'
  return listDue ? 'quick' : 'none'
}

/**
 * One pass over the account. Lists calls, then recordings, newest first, back to where the mode says
 * (a quick pass stops at the first page older than what it already has, so an idle poll costs two
 * requests), then asks about each unfinished item that is due. Every item is saved on its own: one that
 * cannot be read gets a reason and the pass goes on. A 429 or 5xx retries that request (honouring
 * Retry-After) and carries on. The cursors advance only after the listing completed, so a crash or
 * failure repeats work (harmlessly: everything is an upsert by SID) instead of skipping it.
 */
export async function syncPass(
  connection: TwilioConnection,
  deps: SyncDeps,
  now = Date.now(),
): Promise<SyncPassResult> {
  const { library, queue, tracker } = deps
  const { client } = connection
  const progress: SyncProgress = { pages: 0, recordings: 0, calls: 0 }
  const changedCalls = new Set<string>()
  const problems: SyncProblem[] = []
  let newRecordings = 0
  const mode = await chooseMode(library, deps.listDue ?? true, now)

  /** One request, retried in place on 429 and 5xx. */
  const request = async <T>(send: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      deps.signal?.throwIfAborted()
      try {
        return await send()
      } catch (error) {
        const failure = classifyTwilioError(error, connection)
        const status = (error as { status?: number } | null)?.status ?? 0
        const retryable = failure.kind === 'rate-limited' || (failure.kind === 'server' && status >= 500)
        const wait =
          failure.kind === 'rate-limited' && failure.retryAfterMs !== null
            ? failure.retryAfterMs
            : Math.min(30_000, 500 * 2 ** (attempt - 1))
        if (!retryable || attempt > RETRIES || wait > RETRY_AFTER_CAP_MS) throw error
        await sleepFor(wait, deps.signal)
      }
    }
  }

  /** Walks pages newest first while `visit` says the listing goes further back. */
  const forEachPage = async <T>(
    first: () => Promise<PageLike<T>>,
    visit: (items: T[]) => Promise<boolean>,
  ): Promise<void> => {
    let page: PageLike<T> | undefined = await request(first)
    while (page) {
      const more = await visit(page.instances)
      progress.pages++
      deps.onProgress?.({ ...progress })
      if (!more) return
      const current: PageLike<T> = page
      // nextPage() sends the request (or says there is no next page): call it only inside the retry.
      page = await request(() => current.nextPage() ?? Promise.resolve(undefined))
    }
  }

  /** Runs one item's work; a failure is that item's problem only. */
  const itemFailed = (sid: string, error: unknown) => {
    // Losing the connection or the credentials is the pass's problem, not the item's.
    if (deps.signal?.aborted || failsWholeSync(error)) throw error
    const carried = noticeOf(error)
    problems.push({
      sid,
      reason: carried.code === 'unexpected' ? notice('twilio.invalid-record', carried.params) : carried,
    })
  }
  const guarded = async (sid: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work()
    } catch (error) {
      itemFailed(sid, error)
    }
  }
  /** The same for writes inside a page's transaction: a failing item rolls back to its own savepoint. */
  const guardedWrite = async (sid: string, work: () => Promise<void>): Promise<void> => {
    try {
      await library.transaction(work)
    } catch (error) {
      itemFailed(sid, error)
    }
  }

  const saveCall = async (call: CallFacts) => {
    await library.calls.upsertCall({
      sid: call.sid,
      from: call.from ?? '',
      to: call.to ?? '',
      direction: call.direction,
      status: call.status,
      startTime: time(call.startTime ?? call.dateCreated, 'start time'),
      durationSec: seconds(call.duration),
      parentCallSid: call.parentCallSid ?? null,
    })
    const conversation = await library.calls.conversationOf(call.sid)
    changedCalls.add(conversation?.sid ?? call.sid)
  }

  /** A call that is not (or no longer) at Twilio, so its recording has somewhere to live. */
  const saveStandInCall = (sid: string, recording: RecordingFacts) =>
    library.calls.upsertCall({
      sid,
      from: '',
      to: '',
      direction: 'inbound',
      status: recording.conferenceSid ? 'conference' : 'unknown',
      startTime: timeOf(recording.dateCreated) ?? now,
      durationSec: seconds(recording.duration),
    })

  const saveRecording = async (recording: RecordingFacts, callSid: string) => {
    const existing = await library.recordings.get(recording.sid)
    const twilioState = fromTwilioStatus(recording.status, recording.errorCode)
    await library.transaction(async () => {
      const call = await library.calls.getCall(callSid)
      await library.recordings.upsert(
        {
          sid: recording.sid,
          callSid,
          twilioStatus: recording.status,
          errorCode: recording.errorCode,
          channels: recording.channels === 2 ? 2 : 1,
          durationSec: seconds(recording.duration),
          // A date that does not parse costs the recording nothing: its call's start stands in.
          dateCreated: timeOf(recording.dateCreated) ?? call?.start_time ?? now,
        },
        {
          availability: twilioState.availability,
          reason: twilioState.reason && encodeNotice(twilioState.reason),
        },
      )
      const next = relisted(existing, twilioState)
      await tracker.transition(recording.sid, next)
      if (recording.status === 'completed' && next.availability === 'preparing')
        await enqueueRecordingPipeline(queue, recording.sid)
      if (UNFINISHED_RECORDING.includes(recording.status))
        await library.twilioPending.add('recording', recording.sid, now, now + PENDING_FIRST_CHECK_MS)
      else await library.twilioPending.done('recording', recording.sid)
    })
    if (!existing) newRecordings++
    changedCalls.add((await library.calls.conversationOf(callSid))?.sid ?? callSid)
  }

  /** The call a recording belongs to, fetched if the library does not have it yet. */
  const callOfRecording = async (recording: RecordingFacts): Promise<string> => {
    // A conference recording may name no call: it gets a row of its own, named by the conference.
    const sid = recording.callSid || recording.conferenceSid || `unknown-call-${recording.sid}`
    if (await library.calls.getCall(sid)) return sid
    if (!recording.callSid) {
      await saveStandInCall(sid, recording)
      return sid
    }
    try {
      const call = await request(() => client.calls(sid).fetch())
      await library.transaction(() => saveCall(call))
      if (UNFINISHED_CALL.includes(call.status))
        await library.twilioPending.add('call', sid, now, now + PENDING_FIRST_CHECK_MS)
    } catch (error) {
      if (!isNotFound(error)) throw error
      // The call's log is gone (deleted, or older than Twilio keeps): the recording still counts.
      await saveStandInCall(sid, recording)
    }
    return sid
  }

  const markRecording = async (sid: string, record: AvailabilityRecord) => {
    if (await library.recordings.get(sid)) await tracker.transition(sid, record)
  }

  const cursorOf = async (source: string): Promise<string | null> =>
    (await library.syncState.get(source)).cursor
  const listSince = async (): Promise<number> => {
    if (mode === 'first') return now - deps.firstSyncDays * 86_400_000
    if (mode === 'older') return Number(await cursorOf('twilio-older'))
    if (mode === 'deep') return now - DEEP_LOOKBACK_MS
    const cursor = Number((await cursorOf('twilio-calls')) ?? now)
    return Math.min(cursor, Number((await cursorOf('twilio-recordings')) ?? now)) - QUICK_OVERLAP_MS
  }

  let newestCall = Number((await cursorOf('twilio-calls')) ?? 0)
  let newestRecording = Number((await cursorOf('twilio-recordings')) ?? 0)
  if (mode !== 'none') {
    const since = await listSince()
    // Twilio's date filters are per day; the time cut-off is ours, and lets a quick pass stop early.
    const older = (at: number) => at < since
    // Finished calls first: a call nobody recorded is listed too (as "no recording"), and recordings of
    // these calls need no call fetch of their own. Child legs come with their parents.
    await forEachPage(
      () => client.calls.page({ startTimeAfter: new Date(since), pageSize: 100 }),
      async (calls) => {
        const current = calls.filter((call) => !older(timeOf(call.startTime ?? call.dateCreated) ?? now))
        // One transaction per page (fast); each call in a savepoint of its own (isolated).
        await library.transaction(async () => {
          for (const call of current)
            await guardedWrite(call.sid, async () => {
              if (UNFINISHED_CALL.includes(call.status)) {
                await library.twilioPending.add('call', call.sid, now, now + PENDING_FIRST_CHECK_MS)
                return
              }
              await saveCall(call)
              newestCall = Math.max(newestCall, time(call.startTime ?? call.dateCreated, 'start time'))
            })
        })
        progress.calls += calls.length
        return calls.length > 0 && current.length === calls.length
      },
    )
    await forEachPage(
      () => client.recordings.page({ dateCreatedAfter: new Date(since), pageSize: 100 }),
      async (recordings) => {
        const current = recordings.filter((recording) => !older(timeOf(recording.dateCreated) ?? now))
        // Calls the library lacks are fetched first (network), then the page is written at once.
        const callOf = new Map<string, string>()
        for (const recording of current)
          await guarded(
            recording.sid,
            async () => void callOf.set(recording.sid, await callOfRecording(recording)),
          )
        await library.transaction(async () => {
          for (const recording of current) {
            const callSid = callOf.get(recording.sid)
            if (callSid === undefined) continue
            await guardedWrite(recording.sid, async () => {
              await saveRecording(recording, callSid)
              newestRecording = Math.max(newestRecording, timeOf(recording.dateCreated) ?? 0)
            })
          }
        })
        progress.recordings += recordings.length
        return recordings.length > 0 && current.length === recordings.length
      },
    )
    await library.transaction(async () => {
      const state = (cursor: number) => ({
        cursor: cursor ? String(cursor) : null,
        lastOkAt: now,
        lastError: null,
      })
      await library.syncState.set('twilio-calls', state(newestCall))
      await library.syncState.set('twilio-recordings', state(newestRecording))
      if (mode === 'first' || mode === 'deep') await library.syncState.set('twilio-deep', state(0))
      if (mode === 'older')
        await library.syncState.set('twilio-older', { cursor: null, lastOkAt: now, lastError: null })
      if (mode === 'first' || mode === 'older') {
        const reach = Math.min(since, (await importedFrom(library)) ?? Infinity)
        await library.syncState.set('twilio-imported-from', {
          cursor: String(reach),
          lastOkAt: now,
          lastError: null,
        })
      }
    })
  }

  for (const item of await library.twilioPending.dueAt(deps.checkAllPending ? Infinity : now)) {
    await guarded(item.sid, () => recheck(item))
  }

  /** Asks about one unfinished item; reschedules it ever later, and gives up after a day. */
  async function recheck(item: PendingItem): Promise<void> {
    let finished: boolean
    try {
      if (item.kind === 'recording') {
        const recording = await request(() => client.recordings(item.sid).fetch())
        const callSid = await callOfRecording(recording)
        await saveRecording(recording, callSid)
        finished = !UNFINISHED_RECORDING.includes(recording.status)
      } else {
        const call = await request(() => client.calls(item.sid).fetch())
        finished = !UNFINISHED_CALL.includes(call.status)
        if (finished) await library.transaction(() => saveCall(call))
      }
    } catch (error) {
      if (!isNotFound(error)) throw error
      // Deleted at Twilio while it was still being made: nothing will ever come.
      await library.twilioPending.done(item.kind, item.sid)
      if (item.kind === 'recording')
        await markRecording(item.sid, {
          availability: 'missing',
          reason: notice('recording.deleted-at-twilio'),
        })
      return
    }
    if (finished) return library.twilioPending.done(item.kind, item.sid)
    if (now - item.firstSeenAt >= PENDING_GIVE_UP_MS) {
      await library.twilioPending.done(item.kind, item.sid)
      if (item.kind === 'recording')
        await markRecording(item.sid, {
          availability: 'missing',
          reason: notice('recording.twilio-timeout'),
        })
      return
    }
    const interval = Math.min(PENDING_MAX_INTERVAL_MS, PENDING_FIRST_CHECK_MS * 2 ** (item.checks + 1))
    await library.twilioPending.checkedAgain(item.kind, item.sid, now + interval)
  }

  return {
    ...progress,
    mode,
    newRecordings,
    changedCalls: [...changedCalls],
    pendingAtTwilio: await library.twilioPending.size(),
    nextCheckAt: await library.twilioPending.nextCheckAt(),
    problems,
  }
}

/**
 * What a recording we have becomes when Twilio lists it again. Where we know more, ours stands: a verified
 * local copy stays playable whatever Twilio says later (we may have deleted theirs); a failed download
 * stays failed until someone retries it; audio we removed, or found gone, stays missing — except a
 * recording we gave up waiting for, which Twilio has finished after all.
 */
function relisted(existing: RecordingRow | undefined, twilioState: AvailabilityRecord): AvailabilityRecord {
  if (!existing) return twilioState
  const ours: AvailabilityRecord = {
    availability: existing.availability,
    reason: existing.availability_reason ? decodeNotice(existing.availability_reason) : null,
  }
  if (existing.availability === 'ready') return ours
  if (twilioState.availability !== 'preparing') return twilioState
  if (existing.availability === 'failed') return ours
  if (existing.availability === 'missing' && ours.reason?.code !== 'recording.twilio-timeout') return ours
  return twilioState
}

/** How far back the library reaches: the first import's start, or an older import's; null before either. */
export async function importedFrom(library: Library): Promise<number | null> {
  const cursor = (await library.syncState.get('twilio-imported-from')).cursor
  return cursor === null ? null : Number(cursor)
}

/**
 * Another account (or the demo left behind): its cursors and pending checks mean nothing here, so the
 * next pass is a first import again.
 */
export async function resetTwilioSync(library: Library): Promise<void> {
  await library.transaction(async () => {
    await library.syncState.clear('twilio-')
    await library.twilioPending.clear()
  })
}

/** Asks the next pass to import calls back to `since` (the user's "import older calls"). */
export async function requestOlderImport(library: Library, since: number): Promise<void> {
  await library.syncState.set('twilio-older', { cursor: String(since), lastOkAt: null, lastError: null })
}

import { logText } from '../../shared/notice'
import type { SyncStatus } from '../../shared/types'
import type { Logger } from '../secrets/redact'
import { classifyTwilioError, type TwilioConnection } from './client'
import type { SyncPassResult, SyncProgress } from './sync'

export interface PollerDeps {
  /** The configured connection, or null when no account is set up. */
  connection: () => Promise<TwilioConnection | null>
  pass: (
    connection: TwilioConnection,
    options: {
      onProgress: (progress: SyncProgress) => void
      listDue: boolean
      checkAllPending: boolean
      signal: AbortSignal
    },
  ) => Promise<SyncPassResult>
  intervalMs: () => number
  onStatus: (status: SyncStatus) => void
  onSynced?: (result: SyncPassResult) => void
  log: Logger
  now?: () => number
  random?: () => number
}

export const BACKOFF = { baseMs: 10_000, maxMs: 15 * 60_000 } as const

/**
 * Polls Twilio on an interval (a desktop has no public URL for webhooks). One pass at a time; errors back
 * off exponentially with jitter, a 429 waits as long as Twilio says, and rejected credentials stop polling
 * until the user acts — there is no path that retries in a hot loop.
 */
export class TwilioPoller {
  private current: SyncStatus = {
    state: 'not-configured',
    lastSyncAt: null,
    nextSyncAt: null,
    lastError: null,
    progress: null,
    skipped: [],
  }
  private timer: NodeJS.Timeout | undefined
  private running: Promise<SyncStatus> | undefined
  private failures = 0
  private stopped = true
  /** When the last listing ran: the list interval counts from it; pending checks wake the poller between. */
  private lastListAt = 0
  /** Someone asked for this pass (start, "Sync now", wake, network back): list and check everything. */
  private listRequested = true
  private aborter = new AbortController()
  private readonly now: () => number
  private readonly random: () => number

  constructor(private readonly deps: PollerDeps) {
    this.now = deps.now ?? Date.now
    this.random = deps.random ?? Math.random
  }

  status(): SyncStatus {
    return { ...this.current }
  }

  start(lastSyncAt: number | null = null): void {
    this.stopped = false
    this.listRequested = true
    this.aborter = new AbortController()
    this.current.lastSyncAt = lastSyncAt
    this.schedule(0)
  }

  /** Stops polling and ends a pass in flight at its next request or wait. */
  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.aborter.abort(new Error('sync stopped'))
  }

  /** Poll now (the user asked, the machine woke up, or the network came back); joins a pass in flight. */
  pollNow(): Promise<SyncStatus> {
    if (this.stopped) return Promise.resolve(this.status())
    this.listRequested = true
    return this.joinPass()
  }

  /** Starts a pass, or joins the one in flight: never two at once. */
  private joinPass(): Promise<SyncStatus> {
    this.running ??= this.runPass().finally(() => (this.running = undefined))
    return this.running
  }

  /** After the user changes credentials: forget the rejection and try them at once. */
  credentialsChanged(): Promise<SyncStatus> {
    this.failures = 0
    return this.pollNow()
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer)
    if (this.stopped) return
    this.current.nextSyncAt = this.now() + delayMs
    // A timer's wake lists only if the interval is up; otherwise it runs the pending checks that are due.
    this.timer = setTimeout(() => {
      if (this.stopped) return
      this.joinPass().catch((error: Error) => this.deps.log.error(`Twilio sync failed: ${error.message}`))
    }, delayMs)
    this.timer.unref?.()
  }

  private update(patch: Partial<SyncStatus>): void {
    this.current = { ...this.current, ...patch }
    this.deps.onStatus(this.status())
  }

  private async runPass(): Promise<SyncStatus> {
    clearTimeout(this.timer)
    let connection: TwilioConnection | null
    try {
      connection = await this.deps.connection()
    } catch (error) {
      // Never let a timer's pass end the process: say so, and look again at the next interval.
      this.deps.log.error(`Twilio sync could not start: ${(error as Error).message}`)
      this.update({ state: 'not-configured', nextSyncAt: null, progress: null })
      this.schedule(this.deps.intervalMs())
      return this.status()
    }
    if (!connection) {
      this.update({ state: 'not-configured', nextSyncAt: null, progress: null })
      return this.status()
    }
    const asked = this.listRequested
    const listDue = asked || this.now() - this.lastListAt >= this.deps.intervalMs()
    this.listRequested = false
    if (listDue)
      this.update({ state: 'syncing', nextSyncAt: null, progress: { pages: 0, recordings: 0, calls: 0 } })
    try {
      const result = await this.deps.pass(connection, {
        onProgress: (progress) => this.update({ progress }),
        listDue,
        checkAllPending: asked,
        signal: this.aborter.signal,
      })
      this.failures = 0
      if (result.mode !== 'none') this.lastListAt = this.now()
      // The next listing when the interval is up; a pending item due earlier wakes the poller for it alone.
      const nextList = this.lastListAt + this.deps.intervalMs()
      const wake = Math.min(nextList, result.nextCheckAt ?? Infinity)
      this.update({
        state: 'idle',
        lastSyncAt: result.mode !== 'none' ? this.now() : this.current.lastSyncAt,
        lastError: null,
        progress: null,
        ...(result.mode !== 'none' || result.problems.length > 0 ? { skipped: result.problems } : {}),
      })
      if (result.mode !== 'none' || result.changedCalls.length > 0)
        this.deps.log.info(
          `Twilio sync (${result.mode}): ${result.recordings} recordings, ${result.calls} calls, ${result.newRecordings} new, ${result.pages} pages, ${result.pendingAtTwilio} unfinished`,
        )
      for (const problem of result.problems)
        this.deps.log.warn(`Twilio sync skipped ${problem.sid}: ${logText(problem.reason)}`)
      this.deps.onSynced?.(result)
      this.schedule(Math.max(1000, wake - this.now()))
      this.update({ nextSyncAt: nextList })
    } catch (error) {
      if (this.stopped) return this.status()
      const failure = classifyTwilioError(error, connection)
      this.deps.log.warn(`Twilio sync failed: ${logText(failure.notice)}`)
      if (failure.kind === 'credentials') {
        this.update({
          state: 'credentials-rejected',
          lastError: failure.notice,
          progress: null,
          nextSyncAt: null,
        })
        return this.status()
      }
      this.failures++
      const backoff =
        Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** (this.failures - 1)) * (0.5 + this.random() * 0.5)
      const delay =
        failure.kind === 'rate-limited' && failure.retryAfterMs !== null
          ? failure.retryAfterMs
          : Math.round(backoff)
      this.update({
        state: failure.kind === 'network' ? 'offline' : 'backing-off',
        lastError: failure.notice,
        progress: null,
      })
      this.schedule(delay)
    }
    return this.status()
  }
}

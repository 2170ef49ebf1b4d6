import { encodeNotice, notice, type Notice } from '../../shared/notice'
import type { JobState, RecordingAvailability } from '../../shared/types'
import type { EventBus } from '../events'
import { PRIORITY, type JobQueue } from '../jobs/queue'
import type { Library } from '../store/library'
import type { RecordingRow } from '../store/recordings'
import { NotFoundError } from '../errors'
import { describeAvailability, type AvailabilityRecord } from './availability'

/** Applies availability transitions to stored recordings and tells the renderer about each change. */
export class RecordingTracker {
  /** Each recording's latest announcement, which the next one waits for. */
  private readonly announcing = new Map<string, Promise<void>>()

  constructor(
    private readonly library: Library,
    private readonly queue: JobQueue,
    private readonly events: EventBus,
    /** A recording became missing or failed: whatever its download left behind can go. */
    private readonly onUnavailable: (recordingSid: string) => void = () => undefined,
  ) {}

  async describe(recordingSid: string): Promise<RecordingAvailability> {
    const recording = await this.library.recordings.get(recordingSid)
    if (!recording) throw new NotFoundError(notice('not-found.recording'))
    return this.availabilityOf(recording)
  }

  /** The player's picture of a stored recording: its state, plus its download job's progress. */
  async availabilityOf(recording: RecordingRow): Promise<RecordingAvailability> {
    return describeAvailability(recording, await this.queue.find('recording-download', recording.sid))
  }

  /** Moves a recording to a new state (no-op if unchanged) and emits `recording.changed`. */
  async transition(recordingSid: string, next: AvailabilityRecord): Promise<void> {
    const recording = await this.library.recordings.get(recordingSid)
    if (!recording) throw new NotFoundError(notice('not-found.recording'))
    const reason = next.reason && encodeNotice(next.reason)
    if (recording.availability === next.availability && recording.availability_reason === reason) return
    await this.library.recordings.setAvailability(recordingSid, next.availability, reason)
    if (next.availability === 'missing' || next.availability === 'failed') this.onUnavailable(recordingSid)
    // Told once the change is written (after the caller's transaction, if any), and not awaited: an
    // earlier announcement may be waiting for that very transaction to end.
    void this.announce(recordingSid)
  }

  /**
   * Tells the renderer the recording's current picture (also used when download progress moves). One
   * recording's announcements go out in order, each read when its turn comes: on a library whose reads
   * can overtake each other (PostgreSQL's pool), a slow read of "97 %" must not land after "ready".
   */
  announce(recordingSid: string): Promise<void> {
    return this.library.detached(() => this.announceInTurn(recordingSid))
  }

  private announceInTurn(recordingSid: string): Promise<void> {
    const previous = this.announcing.get(recordingSid) ?? Promise.resolve()
    const next = previous.then(async () => {
      const recording = await this.library.recordings.get(recordingSid)
      if (!recording) return
      this.events.emit('recording.changed', {
        callSid: recording.call_sid,
        recordingSid,
        availability: await this.availabilityOf(recording),
      })
    })
    const settled = next.catch((error: unknown) =>
      console.error(`recording states: ${(error as Error).message}`),
    )
    this.announcing.set(recordingSid, settled)
    void settled.then(() => {
      if (this.announcing.get(recordingSid) === settled) this.announcing.delete(recordingSid)
    })
    return next
  }

  /** The recording's file in the recordings folder, only while it is ready to play; else null. */
  async playableFile(recordingSid: string): Promise<string | null> {
    const recording = await this.library.recordings.get(recordingSid)
    return recording?.availability === 'ready' ? recording.local_file : null
  }

  /** Whether a download may still be under way for it (its partial file must be kept). */
  async isPreparing(recordingSid: string): Promise<boolean> {
    return (await this.library.recordings.get(recordingSid))?.availability === 'preparing'
  }

  /**
   * Lets the download jobs drive the states of recordings that are not ready yet: a failed download
   * fails the recording (saying why), a retried one prepares it again, progress is announced.
   */
  followDownloads(): () => void {
    const followed = (change: Promise<void>) =>
      change.catch((error: unknown) => console.error(`recording states: ${(error as Error).message}`))
    return this.queue.subscribe((event) => {
      if (event.type === 'changed' && event.job.kind === 'recording-download')
        void followed(this.downloadChanged(event.job.subject, event.job.state, event.job.lastError))
      if (event.type === 'progress' && event.job.kind === 'recording-download')
        void this.announce(event.job.subject)
    })
  }

  private async downloadChanged(
    recordingSid: string,
    state: JobState,
    lastError: Notice | null,
  ): Promise<void> {
    const recording = await this.library.recordings.get(recordingSid)
    if (!recording || recording.availability === 'ready' || recording.availability === 'missing') return
    if (state === 'failed') await this.transition(recordingSid, { availability: 'failed', reason: lastError })
    else if (state === 'queued' || state === 'running') {
      if (recording.availability === 'failed')
        await this.transition(recordingSid, { availability: 'preparing', reason: null })
      else await this.announce(recordingSid)
    }
  }

  /**
   * A user wants to play this recording (or pressed Retry on a failed one): make its download the most
   * urgent job (queueing it, or retrying a failed one) and say where it stands. Calling it again while
   * preparing changes nothing, so it cannot loop; a recording Twilio never produced is not retried.
   */
  async prepare(recordingSid: string): Promise<RecordingAvailability> {
    const recording = await this.library.recordings.get(recordingSid)
    if (!recording) throw new NotFoundError(notice('not-found.recording'))
    const downloadable = recording.availability === 'preparing' || recording.availability === 'failed'
    if (downloadable && recording.twilio_status === 'completed') {
      const existing = await this.queue.find('recording-download', recordingSid)
      if (existing?.state === 'failed') await this.queue.retry(existing.id)
      await this.queue.enqueue('recording-download', recordingSid, { priority: PRIORITY.user })
      await this.queue.prioritize('recording-download', recordingSid)
    }
    return this.describe(recordingSid)
  }
}

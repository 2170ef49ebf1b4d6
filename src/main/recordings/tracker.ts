import { encodeNotice, notice, type Notice } from '../../shared/notice'
import type { JobState, RecordingAvailability } from '../../shared/types'
import type { EventBus } from '../events'
import { PRIORITY, type JobQueue } from '../jobs/queue'
import type { Store } from '../store'
import type { RecordingRow } from '../store/recordings'
import { NotFoundError } from '../errors'
import { describeAvailability, type AvailabilityRecord } from './availability'

/** Applies availability transitions to stored recordings and tells the renderer about each change. */
export class RecordingTracker {
  constructor(
    private readonly store: Store,
    private readonly queue: JobQueue,
    private readonly events: EventBus,
    /** A recording became missing or failed: whatever its download left behind can go. */
    private readonly onUnavailable: (recordingSid: string) => void = () => undefined,
  ) {}

  describe(recordingSid: string): RecordingAvailability {
    const recording = this.store.recordings.get(recordingSid)
    if (!recording) throw new NotFoundError(notice('not-found.recording'))
    return this.availabilityOf(recording)
  }

  /** The player's picture of a stored recording: its state, plus its download job's progress. */
  availabilityOf(recording: RecordingRow): RecordingAvailability {
    return describeAvailability(recording, this.queue.find('recording-download', recording.sid))
  }

  /** Moves a recording to a new state (no-op if unchanged) and emits `recording.changed`. */
  transition(recordingSid: string, next: AvailabilityRecord): void {
    const recording = this.store.recordings.get(recordingSid)
    if (!recording) throw new NotFoundError(notice('not-found.recording'))
    const reason = next.reason && encodeNotice(next.reason)
    if (recording.availability === next.availability && recording.availability_reason === reason) return
    this.store.recordings.setAvailability(recordingSid, next.availability, reason)
    if (next.availability === 'missing' || next.availability === 'failed') this.onUnavailable(recordingSid)
    this.announce(recordingSid)
  }

  /** Tells the renderer the recording's current picture (also used when download progress moves). */
  announce(recordingSid: string): void {
    const recording = this.store.recordings.get(recordingSid)
    if (!recording) return
    this.events.emit('recording.changed', {
      callSid: recording.call_sid,
      recordingSid,
      availability: this.availabilityOf(recording),
    })
  }

  /** The recording's file in the recordings folder, only while it is ready to play; else null. */
  playableFile(recordingSid: string): string | null {
    const recording = this.store.recordings.get(recordingSid)
    return recording?.availability === 'ready' ? recording.local_file : null
  }

  /** Whether a download may still be under way for it (its partial file must be kept). */
  isPreparing(recordingSid: string): boolean {
    return this.store.recordings.get(recordingSid)?.availability === 'preparing'
  }

  /**
   * Lets the download jobs drive the states of recordings that are not ready yet: a failed download
   * fails the recording (saying why), a retried one prepares it again, progress is announced.
   */
  followDownloads(): () => void {
    return this.queue.subscribe((event) => {
      if (event.type === 'changed' && event.job.kind === 'recording-download')
        this.downloadChanged(event.job.subject, event.job.state, event.job.lastError)
      if (event.type === 'progress' && event.job.kind === 'recording-download')
        this.announce(event.job.subject)
    })
  }

  private downloadChanged(recordingSid: string, state: JobState, lastError: Notice | null): void {
    const recording = this.store.recordings.get(recordingSid)
    if (!recording || recording.availability === 'ready' || recording.availability === 'missing') return
    if (state === 'failed') this.transition(recordingSid, { availability: 'failed', reason: lastError })
    else if (state === 'queued' || state === 'running') {
      if (recording.availability === 'failed')
        this.transition(recordingSid, { availability: 'preparing', reason: null })
      else this.announce(recordingSid)
    }
  }

  /**
   * A user wants to play this recording (or pressed Retry on a failed one): make its download the most
   * urgent job (queueing it, or retrying a failed one) and say where it stands. Calling it again while
   * preparing changes nothing, so it cannot loop; a recording Twilio never produced is not retried.
   */
  prepare(recordingSid: string): RecordingAvailability {
    const recording = this.store.recordings.get(recordingSid)
    if (!recording) throw new NotFoundError(notice('not-found.recording'))
    const downloadable = recording.availability === 'preparing' || recording.availability === 'failed'
    if (downloadable && recording.twilio_status === 'completed') {
      const existing = this.queue.find('recording-download', recordingSid)
      if (existing?.state === 'failed') this.queue.retry(existing.id)
      this.queue.enqueue('recording-download', recordingSid, { priority: PRIORITY.user })
      this.queue.prioritize('recording-download', recordingSid)
    }
    return this.describe(recordingSid)
  }
}

import type { Notice } from '../../shared/notice'
import type { OfficeWorkItem, TranscriptSegment } from '../../shared/types'
import type { JobQueue, LeasedJob } from '../jobs/queue'
import { JobError } from '../jobs/runner'
import type { Library } from '../store/library'
import { prepareTranscription, recordTranscript } from '../transcription/job'
import type { ModelManager } from '../transcription/models/model-manager'

export interface RemoteTranscript {
  language: string | null
  model: string
  segments: Omit<TranscriptSegment, 'index'>[]
  notes: Notice[]
}

export interface RemoteWorkDeps {
  library: Library
  queue: JobQueue
  models: ModelManager
  recordingsDir: string
  onTranscribed: (recordingSid: string) => Promise<void>
}

/** How many jobs one claim may find unfit (a missing file) before it says there is nothing to do. */
const CLAIM_TRIES = 5

/**
 * Transcriptions done by desks of the office (the server only): a desk that offered its idle CPU claims a
 * job, which is leased to it exactly as to this server's own runner (the same queue, the same lease and
 * heartbeat, so a desk that goes away loses the job to whoever is next), fetches the recording and the
 * office's model, and sends the transcript back, recorded only while its lease holds.
 */
export class RemoteWork {
  constructor(private readonly deps: RemoteWorkDeps) {}

  /** `worker`: who takes it (shown as the lease's owner). */
  async claim(worker: string): Promise<OfficeWorkItem | null> {
    for (let tries = 0; tries < CLAIM_TRIES; tries++) {
      const job = await this.deps.queue.claim('recording-transcription', `desk:${worker}`)
      if (!job) return null
      try {
        const prepared = await prepareTranscription(this.deps, job.subject)
        return {
          jobId: job.id,
          leaseToken: job.leaseToken,
          recordingSid: prepared.recordingSid,
          ...prepared.request,
          limitMs: prepared.limitMs,
          heartbeatMs: Math.floor(this.deps.queue.leaseMs / 3),
          model: { id: prepared.model.id, name: prepared.model.name, sha256: prepared.model.sha256 },
        }
      } catch (error) {
        // Unfit here is unfit anywhere (no model yet, the file is gone): recorded as the runner would.
        const failure = error instanceof JobError ? error.failure : { retryable: true }
        await this.deps.queue.fail(job, error, failure)
      }
    }
    return null
  }

  async heartbeat(jobId: number, leaseToken: string, progress: number): Promise<boolean> {
    const job = await this.deps.queue.leased(jobId, leaseToken)
    if (!job || !(await this.deps.queue.heartbeat(job))) return false
    await this.deps.queue.progress(job, progress)
    return true
  }

  async complete(jobId: number, leaseToken: string, transcript: RemoteTranscript): Promise<boolean> {
    const job = await this.deps.queue.leased(jobId, leaseToken)
    if (!job) return false
    return this.deps.queue.complete(job, recordTranscript(this.deps, job.subject, transcript))
  }

  async fail(jobId: number, leaseToken: string, reason: Notice, retryable: boolean): Promise<boolean> {
    const job = await this.deps.queue.leased(jobId, leaseToken)
    if (!job) return false
    return (await this.deps.queue.fail(job, new JobError(reason, { retryable }), { retryable })) !== null
  }

  async release(jobId: number, leaseToken: string): Promise<boolean> {
    const job: LeasedJob | null = await this.deps.queue.leased(jobId, leaseToken)
    if (!job) return false
    await this.deps.queue.release(job)
    return true
  }

  /** The office's model file a claimed job names (what /__callscribe/model serves), or null. */
  modelFile(sha256: string): string | null {
    const model = this.deps.models.active()
    if (!model || this.deps.models.files.get(model.id)?.sha256 !== sha256) return null
    return model.path
  }
}

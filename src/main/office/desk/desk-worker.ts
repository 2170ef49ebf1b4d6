import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Envelope, RequestResult } from '../../../shared/contract'
import { notice, noticeOf, type Notice } from '../../../shared/notice'
import type { DeskWorkStatus, OfficeWorkItem } from '../../../shared/types'
import type { Logger } from '../../secrets/redact'
import { asJobError } from '../../transcription/job'
import type { Transcriber } from '../../transcription/transcriber'
import { JobError } from '../../jobs/runner'
import { saveResponseBody } from '../../net/save-response'
import { digest } from '../../storage/digest'
import { OFFICE_PATHS } from '../paths'

export interface DeskWorkerOptions {
  request: (name: string, input: unknown) => Promise<Envelope<unknown>>
  /** GET from the office server with this desk's session (recordings, the model). */
  fetch: (path: string) => Promise<Response>
  transcriber: Transcriber
  /** Where the office's model is kept and recordings are fetched to while they are transcribed. */
  dataDir: string
  threads: () => number
  /** True while the computer runs on battery: the desk does not take work then. */
  onBattery: () => boolean
  onChange: () => void
  log: Logger
  /** How long to wait when there is nothing to do (or on battery) before asking again. */
  idleMs?: number
  /** The first rest after a failure that may be this computer's (doubling, at most 30 minutes). */
  firstRestMs?: number
  /** Run the engine at the lowest priority (default true; tests that time the work turn it off). */
  lowPriority?: boolean
}

class Aborted extends Error {
  constructor(readonly why: 'battery' | 'stopped' | 'lease-lost') {
    super(why)
  }
}

/** Saves a file the server sends (checked against its SHA-256 when given), whole or not at all. */
async function download(
  response: Response,
  file: string,
  { signal, what, sha256 }: { signal: AbortSignal; what: string; sha256?: string },
): Promise<void> {
  if (!response.ok) throw new Error(`the office server answered HTTP ${response.status}`)
  const partPath = `${file}.${randomUUID()}.partial`
  try {
    await saveResponseBody(response, { partPath, offset: 0, signal, progress: () => undefined, what })
    if (sha256 && (await digest(partPath, 'sha256')) !== sha256)
      throw new JobError(notice('download.model-damaged'), { retryable: true })
    renameSync(partPath, file)
  } finally {
    rmSync(partPath, { force: true })
  }
}

/**
 * A desk's idle CPU for the office (offered in Settings, off by default): it asks the server for a
 * transcription, fetches the recording (and once, the office's model), transcribes it here, and sends the
 * transcript back. It holds the job only while it heartbeats: on battery, when the offer is withdrawn or
 * the app closes it gives the job back unspent; if it vanishes, the server's queue hands the job on.
 */
export class DeskWorker {
  private running = false
  private state: DeskWorkStatus['state'] = 'off'
  private done = 0
  private problem: Notice | null = null
  /**
   * After a failure that may be this computer's (its engine, the network), the desk rests, longer each time;
   * the rest outlasts a reconnection (a flapping network must not cut it short).
   */
  private restMs = 0
  private restUntil = 0
  private current: AbortController | null = null
  private wake: (() => void) | null = null
  private loop: Promise<void> | null = null

  constructor(private readonly options: DeskWorkerOptions) {}

  status(offered: boolean): DeskWorkStatus {
    return { offered, state: this.running ? this.state : 'off', done: this.done, problem: this.problem }
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.running = false
    this.current?.abort(new Aborted('stopped'))
    this.wake?.()
    await this.loop
    this.setState('off')
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.options.onBattery()) {
        this.setState('paused-on-battery')
        await this.sleep()
        continue
      }
      const resting = this.restUntil - Date.now()
      if (resting > 0) {
        this.setState('resting')
        await this.sleep(resting)
        continue
      }
      this.setState('waiting')
      const answer = await this.options.request('work.claim', {})
      const item = answer.ok ? (answer.value as RequestResult<'work.claim'>).item : null
      if (!item) {
        await this.sleep()
        continue
      }
      await this.work(item)
    }
  }

  private async work(item: OfficeWorkItem): Promise<void> {
    this.setState('working')
    const controller = new AbortController()
    this.current = controller
    const lease = { jobId: item.jobId, leaseToken: item.leaseToken }
    let progress = 0
    const heartbeat = setInterval(() => {
      if (this.options.onBattery()) return controller.abort(new Aborted('battery'))
      void this.options.request('work.heartbeat', { ...lease, progress }).then((answer) => {
        if (answer.ok && !(answer.value as { current: boolean }).current)
          controller.abort(new Aborted('lease-lost'))
      })
    }, item.heartbeatMs)
    const workDir = join(this.options.dataDir, 'tmp', 'office-work')
    const audioPath = join(workDir, `${item.recordingSid}.${item.format}`)
    try {
      const modelPath = await this.model(item.model, controller.signal)
      mkdirSync(workDir, { recursive: true })
      await download(await this.options.fetch(`${OFFICE_PATHS.media}${item.recordingSid}`), audioPath, {
        signal: controller.signal,
        what: 'recording',
      })
      const result = await this.options.transcriber.transcribe(
        {
          audioPath,
          format: item.format,
          expectedDurationSec: item.expectedDurationSec,
          speakers: item.speakers,
          language: item.language,
          beamSize: item.beamSize,
          fallbackPasses: item.fallbackPasses,
          threads: this.options.threads(),
          modelPath,
          modelName: item.model.name,
        },
        {
          signal: controller.signal,
          onProgress: (fraction) => (progress = fraction),
          limitMs: item.limitMs,
          // Idle CPU only: the person at this computer never waits for the office's work.
          background: this.options.lowPriority ?? true,
        },
      )
      const answer = await this.options.request('work.complete', {
        ...lease,
        transcript: {
          language: result.language,
          model: result.model,
          segments: result.segments,
          notes: result.notes,
        },
      })
      if (answer.ok && (answer.value as { recorded: boolean }).recorded) this.done += 1
      this.problem = null
      this.restMs = 0
    } catch (error) {
      const why = controller.signal.reason instanceof Aborted ? controller.signal.reason.why : null
      if (why === 'battery' || why === 'stopped') await this.options.request('work.release', lease)
      else if (why === null) {
        const failure = asJobError(error)
        const retryable = !(failure instanceof JobError) || failure.failure.retryable
        this.options.log.warn(`office work on ${item.recordingSid} failed: ${(error as Error)?.message}`)
        await this.options.request('work.fail', { ...lease, reason: noticeOf(failure), retryable })
        // A failure the recording explains (it cannot be decoded) is the recording's; any other may be this
        // computer's, and a desk that fails every job must not use up every job's attempts: it rests.
        if (retryable) {
          this.problem = noticeOf(failure)
          this.restMs = Math.min(Math.max(2 * this.restMs, this.options.firstRestMs ?? 60_000), 30 * 60_000)
          this.restUntil = Date.now() + this.restMs
        }
      }
    } finally {
      clearInterval(heartbeat)
      this.current = null
      rmSync(audioPath, { force: true })
    }
  }

  /** The office's model, fetched once and kept by its SHA-256 (a new model on the server is a new file). */
  private async model(model: OfficeWorkItem['model'], signal: AbortSignal): Promise<string> {
    const dir = join(this.options.dataDir, 'office-models')
    const file = join(dir, `${model.sha256}.bin`)
    if (existsSync(file)) return file
    mkdirSync(dir, { recursive: true })
    this.options.log.info(`Fetching the office's model ${model.name} from the server`)
    await download(await this.options.fetch(`${OFFICE_PATHS.model}${model.sha256}`), file, {
      signal,
      what: 'model',
      sha256: model.sha256,
    })
    return file
  }

  private sleep(ms = this.options.idleMs ?? 15_000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  private setState(state: DeskWorkStatus['state']): void {
    if (this.state === state) return
    this.state = state
    this.options.onChange()
  }
}

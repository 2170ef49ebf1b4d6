import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AppInfo, JobKind } from '../shared/types'
import { EventBus } from './events'
import { createHandlers } from './handlers'
import { createDispatcher, type Dispatch } from './ipc/dispatch'
import { JobQueue } from './jobs/queue'
import { JobRunner, type JobHandlers, type RunnerOptions } from './jobs/runner'
import { createMediaHandler, type MediaHandler } from './media/media-handler'
import { RecordingTracker } from './recordings/tracker'
import { createLogger, Redactor, type Logger } from './secrets/redact'
import type { SecretStore } from './secrets/secret-store'
import { Store } from './store'
import { makePrivate } from './storage/private-folders'
import { TWILIO_API_ORIGIN } from './twilio/client'
import { TwilioCredentialStore } from './twilio/credentials'
import {
  createDownloadHandler,
  DOWNLOAD_CREDENTIALS_REJECTED,
  removePartialDownloads,
  sweepPartialDownloads,
} from './twilio/downloader'
import { TwilioPoller } from './twilio/poller'
import { syncPass } from './twilio/sync'
import { Workspace } from './workspace/workspace'
import { SummaryService } from './summaries/service'
import { resummarize } from './pipeline'
import { applyRetention } from './retention/retention'
import { createTranscribeHandler } from './transcription/job'
import { ModelManager } from './transcription/models'
import { Transcriber } from './transcription/transcriber'

const DEVELOPMENT_ENGINE = fileURLToPath(
  new URL(
    `../../native/build/bin/callscribe-whisper${process.platform === 'win32' ? '.exe' : ''}`,
    import.meta.url,
  ),
)

export interface ServicesOptions {
  dataDir: string
  transport: AppInfo['transport']
  version: string
  /** Where Twilio credentials are kept: Electron safeStorage in the app, memory in the browser host. */
  secrets: SecretStore
  /** The sample calls for the demo workspace (resources/demo); null if not installed. */
  demoAudioDir?: string | null
  /** How long the demo's "still processing at Twilio" call takes (default 25 s). */
  demoProcessingMs?: number
  /** Twilio's REST origin; tests point it at the local emulator. */
  twilioApiOrigin?: string
  /** The native transcription engine; defaults to the one built into native/build (development, tests). */
  whisperEnginePath?: string
  /** Where a catalogue model is downloaded from (tests point it at a local server). */
  modelUrl?: (entry: { id: string; file: string; url: string }) => string
  /** OpenAI's API origin (tests point it at a local server speaking the same protocol). */
  openAiBaseUrl?: string
  /** How long a summary request may take before it counts as failed. */
  summaryTimeoutMs?: number
  /** Extra or replacement job handlers by kind (tests). */
  jobHandlers?: JobHandlers
  /** Runner timings (tests). */
  runner?: Partial<Pick<RunnerOptions, 'idleCheckMs' | 'pausedRetryMs'>>
  redactor?: Redactor
  log?: Logger
}

export interface AppPaths {
  dataDir: string
  database: string
  recordings: string
  /** The transcription worker's scratch folder: emptied whenever the worker starts, removed on close. */
  transcriptionWork: string
}

export function appPaths(dataDir: string): AppPaths {
  return {
    dataDir,
    database: join(dataDir, 'callscribe.db'),
    recordings: join(dataDir, 'recordings'),
    transcriptionWork: join(dataDir, 'tmp', 'transcription'),
  }
}

/**
 * Everything main does, independent of Electron: the Electron shell and the browser host each build one
 * and attach their transport to `dispatch` and `events`.
 */
export class Services {
  readonly paths: AppPaths
  readonly events: EventBus
  readonly redactor: Redactor
  readonly log: Logger
  readonly store: Store
  readonly queue: JobQueue
  readonly runner: JobRunner
  readonly recordings: RecordingTracker
  readonly credentials: TwilioCredentialStore
  readonly workspace: Workspace
  readonly sync: TwilioPoller
  readonly models: ModelManager
  readonly transcriber: Transcriber
  readonly summaries: SummaryService
  readonly media: MediaHandler
  readonly dispatch: Dispatch
  readonly info: AppInfo
  private maintenanceTimer: NodeJS.Timeout | undefined

  constructor(options: ServicesOptions) {
    this.paths = appPaths(options.dataDir)
    makePrivate(this.paths.dataDir, this.paths.recordings)
    this.redactor = options.redactor ?? new Redactor()
    this.events = new EventBus((payload) => this.redactor.redactDeep(payload))
    this.log = options.log ?? createLogger(this.redactor)
    this.store = Store.open(this.paths.database)
    this.queue = new JobQueue(this.store)
    this.recordings = new RecordingTracker(this.store, this.queue, this.events, (sid) =>
      removePartialDownloads(this.paths.recordings, sid),
    )
    this.credentials = new TwilioCredentialStore(options.secrets, this.redactor)
    this.workspace = new Workspace({
      store: this.store,
      queue: this.queue,
      credentials: this.credentials,
      apiOrigin: options.twilioApiOrigin ?? TWILIO_API_ORIGIN,
      demoAudioDir: options.demoAudioDir ?? null,
      demoProcessingMs: options.demoProcessingMs,
      recordingsDir: this.paths.recordings,
    })
    const twilioSettings = () => this.store.settings.get('twilio')
    this.sync = new TwilioPoller({
      connection: () => this.workspace.connection(),
      pass: (connection, { onProgress, listDue, checkAllPending, signal }) =>
        syncPass(connection, {
          store: this.store,
          queue: this.queue,
          tracker: this.recordings,
          firstSyncDays: twilioSettings().firstSyncDays,
          listDue,
          checkAllPending,
          signal,
          onProgress,
        }),
      intervalMs: () => twilioSettings().pollIntervalSec * 1000,
      onStatus: (status) => this.events.emit('sync.status', status),
      onSynced: (result) => {
        if (result.changedCalls.length) this.events.emit('calls.changed', { callSids: result.changedCalls })
      },
      log: this.log,
    })
    this.models = new ModelManager(options.dataDir, this.store.settings, options.modelUrl)
    this.transcriber = new Transcriber({
      enginePath: options.whisperEnginePath ?? DEVELOPMENT_ENGINE,
      workDir: this.paths.transcriptionWork,
    })
    this.summaries = new SummaryService({
      store: this.store,
      secrets: options.secrets,
      redactor: this.redactor,
      openAiBaseUrl: options.openAiBaseUrl,
      timeoutMs: options.summaryTimeoutMs,
    })
    this.runner = new JobRunner(
      this.queue,
      {
        'recording-transcription': createTranscribeHandler({
          store: this.store,
          transcriber: this.transcriber,
          models: this.models,
          recordingsDir: this.paths.recordings,
          onTranscribed: (sid) => resummarize(this.queue, sid),
        }),
        'recording-summary': this.summaries.handler(),
        'model-download': this.models.downloadHandler(),
        'recording-download': createDownloadHandler({
          store: this.store,
          tracker: this.recordings,
          recordingsDir: this.paths.recordings,
          connection: () => this.workspace.connection(),
          settings: twilioSettings,
          log: this.log,
        }),
        ...options.jobHandlers,
      },
      {
        onPause: (paused) => {
          if (paused) this.log.error(`Work paused: the library cannot be written (${paused})`)
          else this.log.info('Work resumed: the library can be written again')
          this.events.emit('work.status', { paused })
        },
        ...options.runner,
      },
    )
    this.media = createMediaHandler(this.paths.recordings, (sid) => {
      const recording = this.store.recordings.get(sid)
      return recording?.availability === 'ready' ? recording.local_file : null
    })
    this.info = {
      name: 'CallScribe',
      version: options.version,
      transport: options.transport,
      platform: process.platform,
      dataDir: options.dataDir,
    }
    this.queue.subscribe((event) => {
      if (event.type === 'changed') {
        this.events.emit('job.changed', event.job)
        if (event.job.kind === 'recording-download')
          this.downloadChanged(event.job.subject, event.job.state, event.job.lastError)
      }
      if (event.type === 'progress') {
        this.events.emit('job.progress', {
          jobId: event.job.id,
          kind: event.job.kind,
          subject: event.job.subject,
          progress: event.progress,
        })
        if (event.job.kind === 'recording-download') this.recordings.announce(event.job.subject)
      }
    })
    this.dispatch = createDispatcher(createHandlers(this), {
      log: this.log,
      redact: (value) => this.redactor.redactDeep(value),
    })
  }

  async start(): Promise<void> {
    sweepPartialDownloads(
      this.paths.recordings,
      (sid) => this.store.recordings.get(sid)?.availability === 'preparing',
    )
    await this.workspace.resume()
    this.runner.start()
    this.sync.start(this.store.syncState.get('twilio-recordings').lastOkAt)
    await this.applyRetention()
    // FTS merges, statistics and retention run on an idle timer, never on a request.
    this.maintenanceTimer = setInterval(() => {
      this.store.maintain()
      void this.applyRetention()
    }, 30 * 60_000)
    this.maintenanceTimer.unref?.()
  }

  async close(): Promise<void> {
    clearInterval(this.maintenanceTimer)
    this.sync.stop()
    await this.runner.stop()
    await this.transcriber.close()
    await this.workspace.close()
    this.store.close()
  }

  /**
   * New credentials (or a new workspace): the rejection is forgotten, a pass runs at once, and downloads
   * that Twilio refused for the old credentials are tried again.
   */
  credentialsChanged(): Promise<unknown> {
    this.queue.retryFailed('recording-download', DOWNLOAD_CREDENTIALS_REJECTED)
    return this.sync.credentialsChanged()
  }

  applyRetention(now = Date.now()): Promise<number> {
    return applyRetention(
      { store: this.store, tracker: this.recordings, recordingsDir: this.paths.recordings, log: this.log },
      now,
    )
  }

  /** A download job's state decides the recording's state while it is not ready yet. */
  private downloadChanged(recordingSid: string, state: string, lastError: string | null): void {
    const recording = this.store.recordings.get(recordingSid)
    if (!recording || recording.availability === 'ready' || recording.availability === 'missing') return
    if (state === 'failed')
      this.recordings.transition(recordingSid, { availability: 'failed', reason: lastError })
    else if (state === 'queued' || state === 'running') {
      if (recording.availability === 'failed')
        this.recordings.transition(recordingSid, { availability: 'preparing', reason: null })
      else this.recordings.announce(recordingSid)
    }
  }
}

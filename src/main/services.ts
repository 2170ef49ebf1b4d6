import { hostname } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AppInfo } from '../shared/types'
import { EventBus } from './events'
import { announceJobs } from './jobs/job-events'
import { JobQueue } from './jobs/queue'
import { JobRunner, type JobHandlers, type RunnerOptions } from './jobs/runner'
import { createMediaHandler, type MediaHandler } from './media/media-handler'
import { RecordingTracker } from './recordings/tracker'
import { createLogger, Redactor, type Logger } from './secrets/redact'
import type { SecretStore } from './secrets/secret-store'
import type { Library } from './store/library'
import { SqliteLibrary } from './store/sqlite-library'
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
import { Retention } from './retention/retention'
import { fastestEngine } from './transcription/engine-variants'
import { createTranscribeHandler } from './transcription/job'
import { ModelManager } from './transcription/models/model-manager'
import { Transcriber } from './transcription/transcriber'
import { OfficeAccess } from './office/access'
import { RemoteWork } from './office/remote-work'
import { OfficeDesk } from './office/desk/desk'

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
  /** The library, if not this computer's own SQLite file (the office server's PostgreSQL library). */
  library?: Library
  /**
   * False: Twilio is polled only once the owner calls `resumeSync` (the office server polls while it holds
   * the office's sync lock). Default true.
   */
  pollTwilio?: boolean
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
  /** How long a job's lease lasts without a heartbeat (tests shorten it; default 30 s). */
  leaseMs?: number
  /** Runner timings (tests). */
  runner?: Partial<Pick<RunnerOptions, 'idleCheckMs' | 'pausedRetryMs' | 'concurrency'>>
  redactor?: Redactor
  log?: Logger
  /**
   * Set when this process is the office server (callscribe-server): its certificate's fingerprint ('' without
   * TLS) and the address desks connect to. Otherwise this app can join an office as a desk.
   */
  officeServer?: { fingerprint: string; address: string }
  /** Longest wait between a desk's reconnection attempts (tests). */
  deskRetryMs?: number
  /** Whether the computer runs on battery now (Electron's powerMonitor); a desk does no office work then. */
  onBattery?: () => boolean
  /**
   * A desk worker's waits (tests): between asks when there was no work, its first rest after a failure;
   * and whether its engine runs at the lowest priority (default; tests that wait for the work turn it off,
   * since on a busy machine such an engine waits, as it should).
   */
  deskWork?: { idleMs?: number; firstRestMs?: number; lowPriority?: boolean }
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
 * The composition root for everything main does, independent of Electron: it builds each service and
 * wires them together, and decides nothing itself. The Electron shell and the browser host each build one,
 * then their transport: `createRequestDispatcher(services)` (src/main/handlers) for requests, `events`
 * for pushes, `media` for audio.
 */
export class Services {
  readonly paths: AppPaths
  readonly events: EventBus
  readonly redactor: Redactor
  readonly log: Logger
  readonly library: Library
  readonly queue: JobQueue
  readonly runner: JobRunner
  readonly recordings: RecordingTracker
  readonly credentials: TwilioCredentialStore
  readonly workspace: Workspace
  readonly sync: TwilioPoller
  readonly models: ModelManager
  readonly transcriber: Transcriber
  readonly summaries: SummaryService
  readonly retention: Retention
  readonly media: MediaHandler
  /** The office server's people and sessions; null unless this process is the office server. */
  readonly officeAccess: OfficeAccess | null
  /** Transcriptions desks do for the office; null unless this process is the office server. */
  readonly remoteWork: RemoteWork | null
  /** This app as a desk of the office; null on the office server itself. */
  readonly desk: OfficeDesk | null
  readonly info: AppInfo
  private maintenanceTimer: NodeJS.Timeout | undefined

  constructor(private readonly options: ServicesOptions) {
    this.paths = appPaths(options.dataDir)
    makePrivate(this.paths.dataDir, this.paths.recordings)
    this.redactor = options.redactor ?? new Redactor()
    this.events = new EventBus((payload) => this.redactor.redactDeep(payload))
    this.log = options.log ?? createLogger(this.redactor)
    this.library = options.library ?? SqliteLibrary.open(this.paths.database)
    this.queue = new JobQueue(this.library, options.leaseMs ? { leaseMs: options.leaseMs } : {})
    this.recordings = new RecordingTracker(this.library, this.queue, this.events, (sid) =>
      removePartialDownloads(this.paths.recordings, sid),
    )
    this.credentials = new TwilioCredentialStore(options.secrets, this.redactor)
    this.workspace = new Workspace({
      library: this.library,
      queue: this.queue,
      credentials: this.credentials,
      apiOrigin: options.twilioApiOrigin ?? TWILIO_API_ORIGIN,
      demoAudioDir: options.demoAudioDir ?? null,
      demoProcessingMs: options.demoProcessingMs,
      recordingsDir: this.paths.recordings,
    })
    this.sync = new TwilioPoller({
      connection: () => this.workspace.connection(),
      pass: (connection, { onProgress, listDue, checkAllPending, signal }) =>
        syncPass(connection, {
          library: this.library,
          queue: this.queue,
          tracker: this.recordings,
          firstSyncDays: this.library.settings.get('twilio').firstSyncDays,
          listDue,
          checkAllPending,
          signal,
          onProgress,
        }),
      intervalMs: () => this.library.settings.get('twilio').pollIntervalSec * 1000,
      onStatus: (status) => this.events.emit('sync.status', status),
      onSynced: (result) => {
        if (result.changedCalls.length) this.events.emit('calls.changed', { callSids: result.changedCalls })
      },
      log: this.log,
    })
    const enginePath = fastestEngine(options.whisperEnginePath ?? DEVELOPMENT_ENGINE)
    this.models = new ModelManager(options.dataDir, this.library.settings, options.modelUrl, enginePath)
    this.transcriber = new Transcriber({
      enginePath,
      workDir: this.paths.transcriptionWork,
    })
    this.summaries = new SummaryService({
      library: this.library,
      queue: this.queue,
      secrets: options.secrets,
      redactor: this.redactor,
      openAiBaseUrl: options.openAiBaseUrl,
      timeoutMs: options.summaryTimeoutMs,
    })
    this.retention = new Retention({
      library: this.library,
      tracker: this.recordings,
      recordingsDir: this.paths.recordings,
      log: this.log,
    })
    this.runner = new JobRunner(
      this.queue,
      {
        'recording-download': createDownloadHandler({
          library: this.library,
          tracker: this.recordings,
          recordingsDir: this.paths.recordings,
          connection: () => this.workspace.connection(),
          settings: () => this.library.settings.get('twilio'),
          log: this.log,
        }),
        'recording-transcription': createTranscribeHandler({
          library: this.library,
          transcriber: this.transcriber,
          models: this.models,
          recordingsDir: this.paths.recordings,
          onTranscribed: (sid) => resummarize(this.queue, sid),
        }),
        'recording-summary': this.summaries.handler(),
        'model-download': this.models.downloadHandler(),
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
    this.officeAccess = options.officeServer
      ? new OfficeAccess(this.library.officeAccess, options.officeServer)
      : null
    this.remoteWork = options.officeServer
      ? new RemoteWork({
          library: this.library,
          queue: this.queue,
          models: this.models,
          recordingsDir: this.paths.recordings,
          onTranscribed: (sid) => resummarize(this.queue, sid),
        })
      : null
    this.desk = options.officeServer
      ? null
      : new OfficeDesk({
          connection: {
            get: () => this.library.settings.get('office.desk'),
            set: (value) => this.library.settings.set('office.desk', value),
          },
          workOffered: {
            get: () => this.library.settings.get('office.offerWork'),
            set: (value) => this.library.settings.set('office.offerWork', value),
          },
          work: {
            transcriber: this.transcriber,
            dataDir: options.dataDir,
            threads: () => this.models.transcriptionSettings().threads,
            onBattery: options.onBattery ?? (() => false),
            ...options.deskWork,
          },
          secrets: options.secrets,
          events: this.events,
          device: hostname(),
          // A desk of the office leaves Twilio to the office server.
          onJoined: (joined) => (joined ? this.sync.stop() : this.resumeSync()),
          log: this.log,
          maxRetryMs: options.deskRetryMs,
        })
    const ownMedia = createMediaHandler(this.paths.recordings, (sid) => this.recordings.playableFile(sid))
    this.media = this.desk ? this.desk.media(ownMedia) : ownMedia
    this.info = {
      name: 'CallScribe',
      version: options.version,
      transport: options.transport,
      platform: process.platform,
      dataDir: options.dataDir,
    }
    announceJobs(this.queue, this.events, this.library)
    this.recordings.followDownloads()
    this.workspace.onAccountChanged(() => {
      // Downloads Twilio refused for the old credentials are tried again; a pass runs at once.
      this.queue
        .retryFailed('recording-download', DOWNLOAD_CREDENTIALS_REJECTED)
        .catch((error: unknown) => this.log.error(`Retrying downloads: ${(error as Error).message}`))
      void this.sync.credentialsChanged()
    })
  }

  async start(): Promise<void> {
    await sweepPartialDownloads(this.paths.recordings, (sid) => this.recordings.isPreparing(sid))
    await this.workspace.resume()
    this.runner.start()
    if (this.desk?.joined) await this.desk.resume()
    else if (this.options.pollTwilio !== false) await this.resumeSync()
    await this.retention.apply()
    // FTS merges, statistics and retention run on an idle timer, never on a request.
    this.maintenanceTimer = setInterval(() => {
      void this.library
        .maintain()
        .then(() => this.retention.apply())
        .catch((error: unknown) => this.log.error(`Maintenance: ${(error as Error).message}`))
    }, 30 * 60_000)
    this.maintenanceTimer.unref?.()
  }

  async close(): Promise<void> {
    clearInterval(this.maintenanceTimer)
    await this.desk?.close()
    this.sync.stop()
    await this.runner.stop()
    await this.transcriber.close()
    await this.workspace.close()
    await this.library.close()
  }

  /** Polls Twilio again from where the last pass ended. */
  async resumeSync(): Promise<void> {
    this.sync.start((await this.library.syncState.get('twilio-recordings')).lastOkAt)
  }
}

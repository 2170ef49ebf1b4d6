import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AppInfo } from '../shared/types'
import { EventBus } from './events'
import { JobQueue } from './jobs/queue'
import { JobRunner, type JobHandler } from './jobs/runner'
import { createMediaHandler, type MediaHandler } from './media/media-handler'
import { RecordingTracker } from './recordings/tracker'
import { Store } from './store'
import type { JobKind } from '../shared/types'

export interface ServicesOptions {
  dataDir: string
  transport: AppInfo['transport']
  version: string
  /** Job handlers by kind; a kind without one waits in the queue. */
  jobHandlers?: Partial<Record<JobKind, JobHandler>>
}

export interface AppPaths {
  dataDir: string
  database: string
  recordings: string
}

export function appPaths(dataDir: string): AppPaths {
  return { dataDir, database: join(dataDir, 'callscribe.db'), recordings: join(dataDir, 'recordings') }
}

/**
 * Everything main does, independent of Electron: the Electron shell and the browser host both build one
 * of these and attach their transport to it.
 */
export class Services {
  readonly paths: AppPaths
  readonly events = new EventBus()
  readonly store: Store
  readonly queue: JobQueue
  readonly runner: JobRunner
  readonly recordings: RecordingTracker
  readonly media: MediaHandler
  readonly info: AppInfo
  private maintenanceTimer: NodeJS.Timeout | undefined

  constructor(options: ServicesOptions) {
    this.paths = appPaths(options.dataDir)
    mkdirSync(this.paths.recordings, { recursive: true })
    this.store = Store.open(this.paths.database)
    this.queue = new JobQueue(this.store.db)
    this.runner = new JobRunner(this.queue, options.jobHandlers ?? {})
    this.recordings = new RecordingTracker(this.store, this.queue, this.events)
    this.media = createMediaHandler(this.paths.recordings, (sid) => {
      const recording = this.store.calls.getRecording(sid)
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
      if (event.type === 'changed') this.events.emit('job.changed', event.job)
      if (event.type === 'progress') {
        this.events.emit('job.progress', {
          jobId: event.job.id,
          kind: event.job.kind,
          subject: event.job.subject,
          progress: event.progress,
        })
      }
    })
  }

  start(): void {
    this.runner.start()
    // FTS merges and statistics refresh run on an idle timer, never on a request.
    this.maintenanceTimer = setInterval(() => this.store.maintain(), 30 * 60_000)
    this.maintenanceTimer.unref?.()
  }

  async close(): Promise<void> {
    clearInterval(this.maintenanceTimer)
    await this.runner.stop()
    this.store.close()
  }
}

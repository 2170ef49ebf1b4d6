import { notice } from '../../shared/notice'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { RecordingTracker } from '../recordings/tracker'
import type { Logger } from '../secrets/redact'
import type { RetentionSettings } from '../../shared/types'
import type { Library } from '../store/library'

export interface RetentionDeps {
  library: Library
  tracker: RecordingTracker
  recordingsDir: string
  log: Logger
}

/** How long downloaded audio is kept: the setting, and clearing what has outlived it. */
export class Retention {
  constructor(private readonly deps: RetentionDeps) {}

  settings(): RetentionSettings {
    return this.deps.library.settings.get('retention')
  }

  /** Saves a new period and applies it at once. */
  async update(settings: RetentionSettings): Promise<RetentionSettings> {
    await this.deps.library.settings.set('retention', settings)
    await this.apply()
    return this.settings()
  }

  /**
   * Removes audio older than the retention period from disk; the transcript and summary stay, and the
   * player says why the recording is gone. Returns how many recordings were cleared.
   */
  async apply(now = Date.now()): Promise<number> {
    const { library, tracker, recordingsDir, log } = this.deps
    const { deleteAudioAfterDays: days } = this.settings()
    if (days === null) return 0
    const expired = await library.recordings.withAudioOfCallsBefore(now - days * 86_400_000)
    for (const recording of expired) {
      await rm(join(recordingsDir, recording.local_file), { force: true })
      await library.recordings.setLocalFile(recording.sid, null)
      await tracker.transition(recording.sid, {
        availability: 'missing',
        reason: notice('recording.audio-removed', { days }),
      })
    }
    if (expired.length)
      log.info(`Retention: removed the audio of ${expired.length} calls older than ${days} days`)
    return expired.length
  }
}

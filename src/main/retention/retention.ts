import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { RecordingTracker } from '../recordings/tracker'
import type { Logger } from '../secrets/redact'
import type { Store } from '../store'

/**
 * Removes audio older than the retention period from disk; the transcript and summary stay, and the
 * player says why the recording is gone. Returns how many recordings were cleared.
 */
export async function applyRetention(
  deps: { store: Store; tracker: RecordingTracker; recordingsDir: string; log: Logger },
  now = Date.now(),
): Promise<number> {
  const { deleteAudioAfterDays: days } = deps.store.settings.get('retention')
  if (days === null) return 0
  const cutoff = now - days * 86_400_000
  const expired = deps.store.recordings.withAudioOfCallsBefore(cutoff)
  for (const recording of expired) {
    await rm(join(deps.recordingsDir, recording.local_file), { force: true })
    deps.store.recordings.setLocalFile(recording.sid, null)
    deps.tracker.transition(recording.sid, {
      availability: 'missing',
      reason: `The audio was removed ${days} days after the call (retention setting); the transcript and summary are kept.`,
    })
  }
  if (expired.length)
    deps.log.info(`Retention: removed the audio of ${expired.length} calls older than ${days} days`)
  return expired.length
}

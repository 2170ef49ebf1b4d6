import { PRIORITY, type JobQueue } from './jobs/queue'

/**
 * What happens to every new recording, in order: download it, transcribe it, summarize it. Each step is
 * a job that waits for the one before, so a restart anywhere resumes at the step that was not finished.
 */
export function enqueueRecordingPipeline(
  queue: JobQueue,
  recordingSid: string,
  priority: number = PRIORITY.background,
): void {
  const download = queue.enqueue('recording-download', recordingSid, { priority })
  const transcribe = queue.enqueue('recording-transcription', recordingSid, {
    dependsOn: download.id,
    priority,
  })
  queue.enqueue('recording-summary', recordingSid, { dependsOn: transcribe.id, priority })
}

/** A transcript changed (transcribed again): its summary is made again too. */
export function resummarize(
  queue: JobQueue,
  recordingSid: string,
  priority: number = PRIORITY.background,
): void {
  queue.enqueue('recording-summary', recordingSid, { priority, force: true })
}

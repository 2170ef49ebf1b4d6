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
  const download = queue.enqueue('download', recordingSid, { priority })
  const transcribe = queue.enqueue('transcribe', recordingSid, { dependsOn: download.id, priority })
  queue.enqueue('summarize', recordingSid, { dependsOn: transcribe.id, priority })
}

/** A transcript changed (transcribed again): its summary is made again too. */
export function resummarize(
  queue: JobQueue,
  recordingSid: string,
  priority: number = PRIORITY.background,
): void {
  queue.enqueue('summarize', recordingSid, { priority, force: true })
}

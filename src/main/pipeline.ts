import { PRIORITY, type JobQueue } from './jobs/queue'

/**
 * What happens to every new recording, in order: download it, then transcribe it. Each step is a job
 * that waits for the one before, so a restart anywhere resumes at the step that was not finished.
 */
export function enqueueRecordingPipeline(
  queue: JobQueue,
  recordingSid: string,
  priority: number = PRIORITY.background,
): void {
  const download = queue.enqueue('download', recordingSid, { priority })
  queue.enqueue('transcribe', recordingSid, { dependsOn: download.id, priority })
}

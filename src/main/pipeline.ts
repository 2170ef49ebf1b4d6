import { PRIORITY, type JobQueue } from './jobs/queue'

/**
 * What happens to every new recording, in order: download it, transcribe it, summarize it. Each step is
 * a job that waits for the one before, so a restart anywhere resumes at the step that was not finished.
 */
export async function enqueueRecordingPipeline(
  queue: JobQueue,
  recordingSid: string,
  priority: number = PRIORITY.background,
): Promise<void> {
  const download = await queue.enqueue('recording-download', recordingSid, { priority })
  const transcribe = await queue.enqueue('recording-transcription', recordingSid, {
    dependsOn: download.id,
    priority,
  })
  await queue.enqueue('recording-summary', recordingSid, { dependsOn: transcribe.id, priority })
}

/** A transcript changed (transcribed again): its summary is made again too. */
export async function resummarize(
  queue: JobQueue,
  recordingSid: string,
  priority: number = PRIORITY.background,
): Promise<void> {
  await queue.enqueue('recording-summary', recordingSid, { priority, force: true })
}

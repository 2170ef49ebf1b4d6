import { notice } from '../../shared/notice'
import { JobError, type JobHandler } from '../jobs/runner'
import type { Library } from '../store/library'
import { maskTexts, unmask } from './mask'
import { promptHash } from './prompt'
import { SummaryError, type SummaryProvider } from './provider'

/**
 * The summarize job: masks what is sent, validates what comes back (citations must exist), puts the
 * real values back, and stores the summary once per transcript version and prompt.
 */
export function createSummarizeHandler(
  library: Library,
  providerNow: () => Promise<SummaryProvider>,
): JobHandler<'recording-summary'> {
  return async (job, { signal }) => {
    const recording = await library.recordings.get(job.subject)
    const transcript = recording ? await library.transcripts.ofRecording(recording.id) : null
    if (!recording || !transcript) throw new JobError(notice('summary.no-transcript'), { retryable: false })
    const provider = await providerNow()
    const hash = promptHash(provider.id, provider.model)
    const forced = job.payload?.force === true
    if (!forced && (await library.summaries.has(transcript.id, transcript.contentHash, hash))) return
    const call = await library.calls.getCall(recording.call_sid)
    const masking = provider.remote
      ? maskTexts(
          transcript.segments.map((s) => s.text),
          call ? [call.from_number, call.to_number] : [],
        )
      : { text: transcript.segments.map((s) => s.text), values: new Map<string, string>() }
    let result
    try {
      result = await provider.summarize(
        {
          language: transcript.language,
          segments: transcript.segments.map((s, i) => ({
            index: s.index,
            speaker: s.speaker,
            text: masking.text[i] as string,
          })),
        },
        signal,
      )
    } catch (error) {
      if (error instanceof SummaryError) throw new JobError(error.notice, { retryable: error.retryable })
      throw error
    }
    const summary = unmask(result, masking.values)
    return async () => {
      if (forced) await library.summaries.forget(transcript.id, transcript.contentHash, hash)
      await library.summaries.save(transcript, hash, {
        provider: provider.id,
        model: provider.model,
        summary: summary.summary,
        intent: summary.intent,
        sentiment: summary.sentiment,
        followUp: summary.followUp,
        topics: summary.topics,
        actionItems: summary.actionItems.map(({ segments, ...item }) => ({
          ...item,
          citations: segments.map((segmentIndex) => ({ segmentIndex })),
        })),
        keyPoints: summary.keyPoints.map(({ segments, ...point }) => ({
          ...point,
          citations: segments.map((segmentIndex) => ({ segmentIndex })),
        })),
      })
    }
  }
}

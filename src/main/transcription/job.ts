import { notice } from '../../shared/notice'
import { existsSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { JobCommit } from '../jobs/queue'
import { JobError, type JobHandler } from '../jobs/runner'
import { simpleDirection } from '../store/calls'
import type { Library } from '../store/library'
import type { ModelManager } from './models/model-manager'
import { TranscriptionError, type Transcriber } from './transcriber'
import type { TranscriptionRequest, TranscriptionResult } from './transcribe-recording'

export interface TranscribeDeps {
  library: Library
  transcriber: Transcriber
  models: ModelManager
  recordingsDir: string
  /** Runs after the transcript is stored, in the same transaction (queues the summary). */
  onTranscribed?: (recordingSid: string) => Promise<void>
}

/**
 * The transcribe job: a downloaded recording becomes a stored, speaker-labelled, timestamped transcript.
 * Channel 0 of a two-channel Twilio recording is the leg that started the call: the caller for inbound
 * calls, the office for outbound ones.
 */
/**
 * What each quality mode asks of the engine. Balanced retries a window only when Whisper flags it as
 * doubtful, and at most twice (whisper.cpp's own default is five times): measured on windows that loop,
 * that keeps a bad passage from multiplying the cost (bench: \`npm run bench transcription-quality\`).
 */
export const QUALITY = {
  fast: { beamSize: 1, fallbackPasses: 0 },
  balanced: { beamSize: 1, fallbackPasses: 2 },
  accurate: { beamSize: 5, fallbackPasses: 5 },
} as const

/** Everything needed to transcribe one recording, checked: its file, the model, who is on which channel. */
export interface PreparedTranscription {
  recordingSid: string
  audioPath: string
  request: Omit<TranscriptionRequest, 'tempDir' | 'audioPath' | 'modelPath' | 'modelName' | 'threads'>
  model: { id: string; path: string; name: string; sha256: string }
  threads: number
  limitMs: number
}

/**
 * What a transcription job is about to do (this computer's runner, or a desk of the office that offered its
 * CPU); throws the JobError that says why it cannot run yet or at all.
 */
export async function prepareTranscription(
  deps: Pick<TranscribeDeps, 'library' | 'models' | 'recordingsDir'>,
  recordingSid: string,
): Promise<PreparedTranscription> {
  const recording = await deps.library.recordings.get(recordingSid)
  if (!recording) throw new JobError(notice('job.subject-gone'), { retryable: false })
  if (recording.availability !== 'ready' || !recording.local_file) {
    throw new JobError(notice('transcription.not-downloaded'), { retryable: false })
  }
  const audioPath = join(deps.recordingsDir, recording.local_file)
  if (!existsSync(audioPath)) throw new JobError(notice('transcription.file-missing'), { retryable: false })
  const model = deps.models.active()
  if (!model) {
    throw new JobError(notice('transcription.waiting-for-model'), {
      retryable: true,
      defer: true,
      retryAfterMs: 6 * 60 * 60_000,
    })
  }
  const settings = deps.models.transcriptionSettings()
  // The conversation's direction decides who is on channel 0, whichever leg made the recording.
  const call = await deps.library.calls.conversationOf(recording.call_sid)
  if (!call) throw new JobError(notice('job.subject-gone'), { retryable: false })
  const speakers: [string, string] =
    simpleDirection(call.direction) === 'inbound' ? ['caller', 'staff'] : ['staff', 'caller']
  return {
    recordingSid: recording.sid,
    audioPath,
    request: {
      format: extname(recording.local_file) === '.wav' ? 'wav' : 'mp3',
      expectedDurationSec: recording.duration_sec,
      speakers,
      language: settings.language,
      ...QUALITY[settings.quality],
    },
    model: { ...model, sha256: deps.models.files.get(model.id)?.sha256 ?? '' },
    threads: settings.threads,
    limitMs: transcriptionLimitMs(recording.duration_sec),
  }
}

/** The writes that record a transcript (run in the transaction that completes its job). */
export function recordTranscript(
  deps: Pick<TranscribeDeps, 'library' | 'onTranscribed'>,
  recordingSid: string,
  result: Pick<TranscriptionResult, 'language' | 'model' | 'segments' | 'notes'>,
): JobCommit {
  return async () => {
    await deps.library.transcripts.save(recordingSid, {
      language: result.language,
      model: result.model,
      segments: result.segments,
      notes: result.notes,
    })
    await deps.onTranscribed?.(recordingSid)
  }
}

export function createTranscribeHandler(deps: TranscribeDeps): JobHandler<'recording-transcription'> {
  return async (job, { signal, progress }) => {
    const prepared = await prepareTranscription(deps, job.subject)
    let result
    try {
      result = await deps.transcriber.transcribe(
        {
          ...prepared.request,
          audioPath: prepared.audioPath,
          threads: prepared.threads,
          modelPath: prepared.model.path,
          modelName: prepared.model.name,
        },
        { signal, onProgress: progress, limitMs: prepared.limitMs },
      )
    } catch (error) {
      throw asJobError(error)
    }
    return recordTranscript(deps, prepared.recordingSid, result)
  }
}

/**
 * A file that cannot be decoded, or one that hung the engine, fails the same way every time: the user sees
 * why and can retry by hand. Anything else is retried.
 */
export function asJobError(error: unknown): unknown {
  if (error instanceof TranscriptionError && (error.kind === 'audio' || error.kind === 'timeout'))
    return new JobError(error.notice, { retryable: false })
  return error
}

/**
 * The longest one recording may take, by its length as Twilio reports it: generous for a slow laptop
 * with a large model on a two-channel call (about 8× real time), never unbounded.
 */
export function transcriptionLimitMs(durationSec: number | null): number {
  return 30 * 60_000 + 8 * (durationSec ?? 60 * 60) * 1000
}

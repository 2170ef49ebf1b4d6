import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { TranscriptSegment } from '../../shared/types'
import { AudioError, SAMPLE_RATE } from './audio'
import { ChannelFiles } from './channel-files'
import type { WhisperEngine } from './engine'
import { splitAtSeams, unpackTimes } from './packing'
import { mergeByTime, placeSegments } from './segments'

export interface TranscriptionRequest {
  audioPath: string
  format: 'mp3' | 'wav'
  expectedDurationSec: number | null
  /** Speaker role per channel of a two-channel recording (channel 0 is the leg that started the call). */
  speakers: [string, string]
  language: string
  threads: number
  beamSize: number
  /** Extra decodes at rising temperature for a window Whisper flags as doubtful (0 = none). */
  fallbackPasses: number
  modelPath: string
  modelName: string
  tempDir: string
}

export interface TranscriptionResult {
  language: string | null
  model: string
  segments: Omit<TranscriptSegment, 'index'>[]
  notes: string[]
  audioSeconds: number
  speechSeconds: number
  /** whisper_full calls made (one for a recording with speech, whatever its channels). */
  engineRequests: number
}

/**
 * One recording to a transcript: decode, find speech per channel (skipping silences), pack the speech of
 * every channel into one engine request (no text carried between windows), then map each segment back to
 * its time and speaker and flag doubtful text. See docs/decisions/0003-dual-channel.md.
 */
export async function transcribeRecording(
  engine: WhisperEngine,
  request: TranscriptionRequest,
  {
    onProgress,
    signal,
    jobId,
  }: { onProgress: (fraction: number) => void; signal: AbortSignal; jobId: string },
): Promise<TranscriptionResult> {
  const files = await ChannelFiles.decode(
    request.audioPath,
    request.format,
    request.expectedDurationSec,
    join(request.tempDir, jobId),
  )
  try {
    return await transcribeFiles(engine, request, files, { onProgress, signal, jobId })
  } finally {
    files.close()
  }
}

async function transcribeFiles(
  engine: WhisperEngine,
  request: TranscriptionRequest,
  files: ChannelFiles,
  {
    onProgress,
    signal,
    jobId,
  }: { onProgress: (fraction: number) => void; signal: AbortSignal; jobId: string },
): Promise<TranscriptionResult> {
  const notes = [...files.notes]
  let language = request.language
  if (!engine.multilingual && language !== 'en' && language !== 'auto') {
    throw new AudioError(
      `The model ${request.modelName} understands English only; choose a multilingual model for ${language} calls.`,
    )
  }
  if (!engine.multilingual) language = 'en'

  const channelCount = files.channelCount
  const stereo = channelCount === 2
  const spans = files.speech()
  const speechSamples = spans.flat().reduce((sum, span) => sum + span.end - span.start, 0)
  if (speechSamples === 0) {
    notes.push('No speech was detected in this recording.')
    return {
      language: null,
      model: request.modelName,
      segments: [],
      notes,
      audioSeconds: files.durationSec,
      speechSeconds: 0,
      engineRequests: 0,
    }
  }

  // One engine request for the whole recording: every channel's speech, in the order it was said, packed
  // into full 30-s windows (the language, with "auto", is detected once).
  if (signal.aborted) throw signal.reason
  const id = `${jobId}-0`
  const pcmPath = join(request.tempDir, `${id}.pcm`)
  const packed = files.pack(spans, pcmPath)
  // whisper.cpp's percentages can run past 100 for short audio; users see one steady bar.
  let shown = 0
  const result = await runEngine(engine, request, pcmPath, id, language, signal, (percent) => {
    shown = Math.max(shown, Math.min(100, percent) / 100)
    onProgress(shown)
  })
  onProgress(1)
  const segments = placeSegments(
    result.segments.flatMap((segment) => splitAtSeams(segment, packed.pieces)),
    {
      durationMs: (packed.samples / SAMPLE_RATE) * 1000,
      toRecording: (startMs, endMs) => {
        const where = unpackTimes(packed.pieces, startMs, endMs)
        return stereo
          ? { ...where, speaker: request.speakers[where.channel] ?? null }
          : { ...where, channel: null, speaker: null }
      },
    },
  )
  return {
    language: language === 'auto' ? result.language || null : language,
    model: request.modelName,
    segments: mergeByTime([segments]),
    notes,
    audioSeconds: files.durationSec,
    speechSeconds: speechSamples / SAMPLE_RATE / channelCount,
    engineRequests: 1,
  }
}

async function runEngine(
  engine: WhisperEngine,
  request: TranscriptionRequest,
  pcmPath: string,
  id: string,
  language: string,
  signal: AbortSignal,
  onProgress: (percent: number) => void,
) {
  const cancel = () => engine.cancel(id)
  signal.addEventListener('abort', cancel)
  try {
    return await engine.run(
      {
        id,
        pcmPath,
        language,
        threads: request.threads,
        beamSize: request.beamSize,
        fallbackPasses: request.fallbackPasses,
      },
      onProgress,
    )
  } finally {
    signal.removeEventListener('abort', cancel)
    await rm(pcmPath, { force: true })
  }
}

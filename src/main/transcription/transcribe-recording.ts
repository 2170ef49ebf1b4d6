import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { notice, type Notice } from '../../shared/notice'
import type { TranscriptSegment } from '../../shared/types'
import { AudioError, SAMPLE_RATE } from './audio'
import { ChannelFiles } from './channel-files'
import type { WhisperEngine } from './engine'
import { speechRequests, splitAtSeams, unpackTimes } from './packing'
import { mergeByTime, placeSegments } from './segments'
import type { Span } from './speech'

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
  notes: Notice[]
  audioSeconds: number
  speechSeconds: number
  /** whisper_full calls made (one per half hour of speech, whatever the channels). */
  engineRequests: number
}

export interface TranscriptionOptions {
  onProgress: (fraction: number) => void
  signal: AbortSignal
  jobId: string
  /** Packed audio per engine request (default ./packing's MAX_REQUEST_SAMPLES; tests use less). */
  maxRequestSamples?: number
}

/**
 * One recording to a transcript: decode, find speech per channel (skipping silences), pack the speech of
 * every channel into engine requests of full windows (one per half hour; no text carried between windows), then map each segment back to
 * its time and speaker and flag doubtful text. See docs/decisions/0003-dual-channel.md.
 */
export async function transcribeRecording(
  engine: WhisperEngine,
  request: TranscriptionRequest,
  options: TranscriptionOptions,
): Promise<TranscriptionResult> {
  const files = await ChannelFiles.decode(
    request.audioPath,
    request.format,
    request.expectedDurationSec,
    join(request.tempDir, options.jobId),
  )
  try {
    return await transcribeFiles(engine, request, files, options)
  } finally {
    files.close()
  }
}

async function transcribeFiles(
  engine: WhisperEngine,
  request: TranscriptionRequest,
  files: ChannelFiles,
  { onProgress, signal, jobId, maxRequestSamples }: TranscriptionOptions,
): Promise<TranscriptionResult> {
  const notes = [...files.notes]
  let language = request.language
  if (!engine.multilingual && language !== 'en' && language !== 'auto') {
    throw new AudioError(notice('audio.english-only-model', { model: request.modelName, language }))
  }
  if (!engine.multilingual) language = 'en'

  const channelCount = files.channelCount
  const stereo = channelCount === 2
  const spans = files.speech()
  const speechSamples = samplesIn(spans)
  if (speechSamples === 0) {
    notes.push(notice('note.no-speech'))
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

  // Every channel's speech, in the order it was said, packed into full 30-s windows: one engine request
  // per half hour of speech (the language, with "auto", is detected in the first and kept).
  const requests = speechRequests(spans, maxRequestSamples)
  const requestSamples = requests.map(samplesIn)
  let doneSamples = 0
  let detected: string | null = null
  const segments: Omit<TranscriptSegment, 'index'>[][] = []
  for (const [index, requestSpans] of requests.entries()) {
    if (signal.aborted) throw signal.reason
    const id = `${jobId}-${index}`
    const pcmPath = join(request.tempDir, `${id}.pcm`)
    const packed = files.pack(requestSpans, pcmPath)
    // whisper.cpp's percentages can run past 100 for short audio; users see one steady bar.
    let shown = 0
    const result = await runEngine(engine, request, pcmPath, id, detected ?? language, signal, (percent) => {
      shown = Math.max(shown, Math.min(100, percent) / 100)
      onProgress((doneSamples + shown * (requestSamples[index] as number)) / speechSamples)
    })
    doneSamples += requestSamples[index] as number
    if (language === 'auto') detected ??= result.language || null
    segments.push(
      placeSegments(
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
      ),
    )
  }
  onProgress(1)
  return {
    language: language === 'auto' ? detected : language,
    model: request.modelName,
    segments: mergeByTime(segments),
    notes,
    audioSeconds: files.durationSec,
    speechSeconds: speechSamples / SAMPLE_RATE / channelCount,
    engineRequests: requests.length,
  }
}

/** How many samples of speech the spans of every channel hold. */
function samplesIn(spansByChannel: Span[][]): number {
  return spansByChannel.flat().reduce((sum, span) => sum + span.end - span.start, 0)
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

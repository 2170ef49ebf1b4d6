import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TranscriptSegment } from '../../shared/types'
import { AudioError, SAMPLE_RATE, decodeRecording } from './audio'
import type { WhisperEngine } from './engine'
import { mergeByTime, placeSegments } from './segments'
import { findSpeech, type Span } from './speech'

export interface TranscriptionRequest {
  audioPath: string
  format: 'mp3' | 'wav'
  expectedDurationSec: number | null
  /** Speaker role per channel of a two-channel recording (channel 0 is the leg that started the call). */
  speakers: [string, string]
  language: string
  threads: number
  beamSize: number
  fallback: boolean
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
}

/**
 * One recording to a transcript: decode, find speech per channel (skipping long silences), run each
 * stretch through the engine with no text carried between stretches, then place, flag and merge the
 * segments of both speakers onto one timeline.
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
  const audio = await decodeRecording(
    new Uint8Array(await readFile(request.audioPath)),
    request.format,
    request.expectedDurationSec,
  )
  const notes = [...audio.notes]
  let language = request.language
  if (!engine.multilingual && language !== 'en' && language !== 'auto') {
    throw new AudioError(
      `The model ${request.modelName} understands English only; choose a multilingual model for ${language} calls.`,
    )
  }
  if (!engine.multilingual) language = 'en'

  const stereo = audio.channels.length === 2
  const plans = audio.channels.map((samples, channel) => ({ samples, channel, spans: findSpeech(samples) }))
  const speechSamples = plans.reduce(
    (sum, plan) => sum + plan.spans.reduce((s, span) => s + span.end - span.start, 0),
    0,
  )
  if (speechSamples === 0) {
    notes.push('No speech was detected in this recording.')
    return {
      language: null,
      model: request.modelName,
      segments: [],
      notes,
      audioSeconds: audio.durationSec,
      speechSeconds: 0,
    }
  }

  // whisper.cpp's percentages can run past 100 for short audio; users see one steady bar.
  let shown = 0
  const report = (fraction: number) => {
    shown = Math.max(shown, Math.min(1, fraction))
    onProgress(shown)
  }
  const tracks: Omit<TranscriptSegment, 'index'>[][] = []
  const detected = new Map<string, number>()
  let done = 0
  let chunkIndex = 0
  for (const plan of plans) {
    const track: Omit<TranscriptSegment, 'index'>[] = []
    for (const span of plan.spans) {
      if (signal.aborted) throw signal.reason
      const result = await runChunk(
        engine,
        request,
        plan.samples,
        span,
        `${jobId}-${chunkIndex++}`,
        language,
        signal,
        (percent) =>
          report((done + ((span.end - span.start) * Math.min(100, percent)) / 100) / speechSamples),
      )
      const seconds = (span.end - span.start) / SAMPLE_RATE
      if (result.language) detected.set(result.language, (detected.get(result.language) ?? 0) + seconds)
      track.push(
        ...placeSegments(
          result.segments,
          {
            offsetMs: (span.start / SAMPLE_RATE) * 1000,
            durationMs: seconds * 1000,
            channel: stereo ? plan.channel : null,
            speaker: stereo ? (request.speakers[plan.channel] ?? null) : null,
          },
          track.at(-1)?.text ?? null,
        ),
      )
      done += span.end - span.start
      report(done / speechSamples)
    }
    tracks.push(track)
  }
  const majority = [...detected.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
  return {
    language: language === 'auto' ? majority : language,
    model: request.modelName,
    segments: mergeByTime(tracks),
    notes,
    audioSeconds: audio.durationSec,
    speechSeconds: speechSamples / SAMPLE_RATE / audio.channels.length,
  }
}

async function runChunk(
  engine: WhisperEngine,
  request: TranscriptionRequest,
  samples: Float32Array,
  span: Span,
  id: string,
  language: string,
  signal: AbortSignal,
  onProgress: (percent: number) => void,
) {
  const pcmPath = join(request.tempDir, `${id}.pcm`)
  const slice = samples.slice(span.start, span.end)
  await writeFile(pcmPath, new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength))
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
        fallback: request.fallback,
      },
      onProgress,
    )
  } finally {
    signal.removeEventListener('abort', cancel)
    await rm(pcmPath, { force: true })
  }
}

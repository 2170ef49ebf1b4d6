import { SAMPLE_RATE } from './audio'

export interface Span {
  start: number
  end: number
}

const FRAME = Math.round(SAMPLE_RATE * 0.03)

export interface SpeechOptions {
  /** Silences at least this long are skipped (never sent to Whisper). */
  longSilenceSec: number
  /** Padding kept around speech, so words are not clipped. */
  padSec: number
}

/**
 * Packing (./packing) puts stretches back to back with a 0.5-s seam, so cutting a pause costs no window:
 * a pause is worth cutting once it is longer than the two pads and the seam. Measured on the benchmark's
 * two-channel calls: 1.5 s / 0.25 s brings them to the CLI's cost (6 s / 0.4 s, chosen when every stretch
 * was its own request, left each channel holding the other speaker's turns: 0.77 of the CLI).
 */
export const DEFAULT_SPEECH_OPTIONS: SpeechOptions = { longSilenceSec: 1.5, padSec: 0.25 }

/**
 * The loudness of each 30-ms frame, fed in chunks of any size as audio is decoded, so a long call is
 * measured without being held in memory: about 130 bytes per second of audio.
 */
export class FrameLevels {
  private readonly levels: number[] = []
  private partialSum = 0
  private partialCount = 0
  /** Samples seen so far. */
  samples = 0

  push(chunk: Float32Array): void {
    this.samples += chunk.length
    for (let i = 0; i < chunk.length; i++) {
      this.partialSum += (chunk[i] as number) ** 2
      if (++this.partialCount === FRAME) {
        this.levels.push(10 * Math.log10(this.partialSum / FRAME + 1e-12))
        this.partialSum = 0
        this.partialCount = 0
      }
    }
  }

  /** One level (dB) per whole frame. */
  values(): Float32Array {
    return Float32Array.from(this.levels)
  }
}

/**
 * Where there is sound worth transcribing: frame energy above a floor learnt from the recording itself
 * (phone lines hiss at different levels). Returns sample spans; an empty list means no speech at all.
 * Silences shorter than `longSilenceSec` stay inside a span: a breath is part of the sentence.
 */
export function findSpeech(samples: Float32Array, options: SpeechOptions = DEFAULT_SPEECH_OPTIONS): Span[] {
  const meter = new FrameLevels()
  meter.push(samples)
  return speechSpans(meter, options)
}

/** The spans of speech a meter heard (see findSpeech). */
export function speechSpans(meter: FrameLevels, options: SpeechOptions = DEFAULT_SPEECH_OPTIONS): Span[] {
  const levels = meter.values()
  const frames = levels.length
  if (frames === 0) return []
  const sorted = Float32Array.from(levels).sort()
  const floor = sorted[Math.floor(frames * 0.1)] as number
  const threshold = Math.max(floor + 12, -50)
  const spans: Span[] = []
  const gapFrames = Math.round((options.longSilenceSec * SAMPLE_RATE) / FRAME)
  let current: Span | null = null
  let silent = 0
  for (let frame = 0; frame < frames; frame++) {
    if ((levels[frame] as number) >= threshold) {
      if (!current) current = { start: frame, end: frame + 1 }
      current.end = frame + 1
      silent = 0
    } else if (current && ++silent >= gapFrames) {
      spans.push(current)
      current = null
    }
  }
  if (current) spans.push(current)
  const pad = Math.round(options.padSec * SAMPLE_RATE)
  return spans
    .filter((span) => span.end - span.start >= 3) // under 90 ms is a click, not speech
    .map((span) => ({
      start: Math.max(0, span.start * FRAME - pad),
      end: Math.min(meter.samples, span.end * FRAME + pad),
    }))
}

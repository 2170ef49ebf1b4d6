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
 * Where there is sound worth transcribing: frame energy above a floor learnt from the recording itself
 * (phone lines hiss at different levels). Returns sample spans; an empty list means no speech at all.
 * Silences shorter than `longSilenceSec` stay inside a span: a breath is part of the sentence.
 */
export function findSpeech(samples: Float32Array, options: SpeechOptions = DEFAULT_SPEECH_OPTIONS): Span[] {
  const frames = Math.floor(samples.length / FRAME)
  if (frames === 0) return []
  const levels = new Float32Array(frames)
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0
    for (let i = frame * FRAME; i < (frame + 1) * FRAME; i++) sum += (samples[i] as number) ** 2
    levels[frame] = 10 * Math.log10(sum / FRAME + 1e-12)
  }
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
      end: Math.min(samples.length, span.end * FRAME + pad),
    }))
}

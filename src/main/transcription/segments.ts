import type { SegmentFlag, TranscriptSegment } from '../../shared/types'

/** What the engine reports for one segment of one chunk (times relative to the chunk). */
export interface EngineSegment {
  t0: number
  t1: number
  text: string
  p: number
  noSpeech: number
  /** The segment's text tokens: start and end (ms), probability, and length in bytes of `text`. */
  tokens?: [t0: number, t1: number, p: number, bytes: number][]
}

export const LOW_CONFIDENCE = 0.45

/** True when the text is mostly one short phrase said over and over: Whisper's classic loop. */
export function isRepetitionLoop(text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length < 8) return false
  for (let period = 1; period <= Math.min(20, Math.floor(words.length / 3)); period++) {
    let repeats = 0
    for (let i = period; i < words.length; i++) if (words[i] === words[i - period]) repeats++
    if (repeats / (words.length - period) > 0.8) return true
  }
  return false
}

/**
 * Maps a segment's times in what the engine heard onto the recording's timeline, and says whose speech
 * it was (channel and speaker; null for a mono recording).
 */
export type ToRecording = (
  startMs: number,
  endMs: number,
) => { startMs: number; endMs: number; channel: number | null; speaker: string | null }

/** The engine heard one speaker's stretch that starts `offsetMs` into the recording. */
export const shiftedBy =
  (offsetMs: number, channel: number | null = null, speaker: string | null = null): ToRecording =>
  (startMs, endMs) => ({ startMs: offsetMs + startMs, endMs: offsetMs + endMs, channel, speaker })

/**
 * Turns one engine request's segments into transcript segments: times clamped into what the engine heard
 * and mapped onto the recording's timeline, hallucinated silence dropped, doubtful text flagged for the UI.
 */
export function placeSegments(
  raw: EngineSegment[],
  chunk: { durationMs: number; toRecording: ToRecording },
): Omit<TranscriptSegment, 'index'>[] {
  const placed: Omit<TranscriptSegment, 'index'>[] = []
  // A repeat is the same speaker saying the same thing again (both saying "OK" is a conversation).
  const lastOf = new Map<number | null, string>()
  let cursor = 0
  for (const segment of raw) {
    const text = segment.text.trim()
    if (!text) continue
    // Text Whisper is unsure of over audio it judged to be silence is not speech.
    if (segment.noSpeech > 0.6 && segment.p < 0.4) continue
    const start = Math.min(Math.max(segment.t0, cursor, 0), chunk.durationMs)
    const end = Math.min(Math.max(segment.t1, start), chunk.durationMs)
    cursor = start
    const where = chunk.toRecording(start, end)
    const last = lastOf.get(where.channel)
    const flags: SegmentFlag[] = []
    if (segment.p < LOW_CONFIDENCE) flags.push('low-confidence')
    if (isRepetitionLoop(text) || (last !== undefined && normalize(last) === normalize(text)))
      flags.push('repeated')
    placed.push({
      startMs: Math.round(where.startMs),
      endMs: Math.round(where.endMs),
      channel: where.channel,
      speaker: where.speaker,
      text,
      confidence: Math.round(segment.p * 1000) / 1000,
      flags,
    })
    lastOf.set(where.channel, text)
  }
  return placed
}

const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()

/** Both speakers' segments on one timeline: by start time, the earlier channel first on ties. */
export function mergeByTime(
  tracks: Omit<TranscriptSegment, 'index'>[][],
): Omit<TranscriptSegment, 'index'>[] {
  return tracks
    .flat()
    .sort((a, b) => a.startMs - b.startMs || (a.channel ?? 0) - (b.channel ?? 0) || a.endMs - b.endMs)
}

import type { SegmentFlag, TranscriptSegment } from '../../shared/types'

/** What the engine reports for one segment of one chunk (times relative to the chunk). */
export interface EngineSegment {
  t0: number
  t1: number
  text: string
  p: number
  noSpeech: number
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
 * Turns one chunk's engine segments into transcript segments: times clamped into the chunk and shifted
 * to the recording's timeline, hallucinated silence dropped, and doubtful text flagged for the UI.
 */
export function placeSegments(
  raw: EngineSegment[],
  chunk: { offsetMs: number; durationMs: number; channel: number | null; speaker: string | null },
  previousText: string | null,
): Omit<TranscriptSegment, 'index'>[] {
  const placed: Omit<TranscriptSegment, 'index'>[] = []
  let last = previousText
  let cursor = 0
  for (const segment of raw) {
    const text = segment.text.trim()
    if (!text) continue
    // Text Whisper is unsure of over audio it judged to be silence is not speech.
    if (segment.noSpeech > 0.6 && segment.p < 0.4) continue
    const start = Math.min(Math.max(segment.t0, cursor, 0), chunk.durationMs)
    const end = Math.min(Math.max(segment.t1, start), chunk.durationMs)
    cursor = start
    const flags: SegmentFlag[] = []
    if (segment.p < LOW_CONFIDENCE) flags.push('low-confidence')
    if (isRepetitionLoop(text) || (last !== null && normalize(last) === normalize(text)))
      flags.push('repeated')
    placed.push({
      startMs: Math.round(chunk.offsetMs + start),
      endMs: Math.round(chunk.offsetMs + end),
      channel: chunk.channel,
      speaker: chunk.speaker,
      text,
      confidence: Math.round(segment.p * 1000) / 1000,
      flags,
    })
    last = text
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

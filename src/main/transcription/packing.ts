import { concatSamples, SAMPLE_RATE } from './audio'
import type { EngineSegment } from './segments'
import type { Span } from './speech'

/** One speech stretch inside the packed audio: where it sits there, and where and whose it was. */
export interface PackedPiece {
  /** First sample in the packed audio. */
  packedStart: number
  /** First sample in the recording. */
  start: number
  length: number
  /** The recording's channel it came from (0 in a mono recording). */
  channel: number
}

export interface PackedAudio {
  samples: Float32Array
  pieces: PackedPiece[]
}

/** Silence put between two stretches, so Whisper ends a segment at the seam rather than across it. */
export const SEAM_SAMPLES = Math.round(SAMPLE_RATE * 0.5)

/**
 * Every channel's speech stretches in the order they were said, back to back with a short silence at
 * each seam: one engine request whose 30-s windows are full of speech, instead of a request (and a partly
 * empty window) per stretch or per channel. Reads each stretch with `read` and hands the packed audio to
 * `write` in order (a file, for a long call); returns the map from packed time back to the recording and
 * its speaker. See docs/decisions/0003-dual-channel.md.
 */
export function packSpeechInto(
  spansByChannel: Span[][],
  read: (channel: number, start: number, length: number) => Float32Array,
  write: (samples: Float32Array) => void,
): PackedPiece[] {
  const stretches = inSpokenOrder(spansByChannel)
  const seam = new Float32Array(SEAM_SAMPLES)
  const pieces: PackedPiece[] = []
  let cursor = 0
  for (const [index, { span, channel }] of stretches.entries()) {
    if (index > 0) {
      write(seam)
      cursor += SEAM_SAMPLES
    }
    const length = span.end - span.start
    for (let done = 0; done < length; ) {
      const part = read(channel, span.start + done, Math.min(length - done, 1 << 18))
      if (part.length === 0) break
      write(part)
      done += part.length
    }
    pieces.push({ packedStart: cursor, start: span.start, length, channel })
    cursor += length
  }
  return pieces
}

/**
 * Packed speech goes to the engine in requests of at most this much audio: whisper.cpp holds a request's
 * samples and its mel spectrogram (~100 MB per 30 minutes), so a 3-hour call would hold ~1 GB at once.
 * A request boundary costs at most one partly filled window per 30 minutes (~3 % of that half hour).
 */
export const MAX_REQUEST_SAMPLES = SAMPLE_RATE * 30 * 60

/**
 * Splits every channel's speech into engine requests in spoken order, none holding more than `maxSamples`
 * of packed audio (seams included); a stretch longer than that is cut into pieces that fit. Each request
 * is again spans per channel, ready for packSpeechInto.
 */
export function speechRequests(spansByChannel: Span[][], maxSamples = MAX_REQUEST_SAMPLES): Span[][][] {
  const limit = Math.max(maxSamples - SEAM_SAMPLES, 1)
  const pieces = spansByChannel.map((spans) =>
    spans.flatMap((span) => {
      const parts: Span[] = []
      for (let start = span.start; start < span.end; start += limit)
        parts.push({ start, end: Math.min(start + limit, span.end) })
      return parts
    }),
  )
  const requests: Span[][][] = []
  const empty = () => spansByChannel.map((): Span[] => [])
  let current = empty()
  let size = 0
  for (const { span, channel } of inSpokenOrder(pieces)) {
    const length = span.end - span.start
    if (size > 0 && size + SEAM_SAMPLES + length > maxSamples) {
      requests.push(current)
      current = empty()
      size = 0
    }
    size += (size > 0 ? SEAM_SAMPLES : 0) + length
    ;(current[channel] as Span[]).push(span)
  }
  if (size > 0) requests.push(current)
  return requests
}

/** Every channel's stretches in the order they were said (the earlier channel first on a tie). */
function inSpokenOrder(spansByChannel: Span[][]): { span: Span; channel: number }[] {
  return spansByChannel
    .flatMap((spans, channel) => spans.map((span) => ({ span, channel })))
    .sort((a, b) => a.span.start - b.span.start || a.channel - b.channel)
}

/** The same, in memory. */
export function packSpeech(channels: { samples: Float32Array; spans: Span[] }[]): PackedAudio {
  const parts: Float32Array[] = []
  const pieces = packSpeechInto(
    channels.map((channel) => channel.spans),
    (channel, start, length) =>
      (channels[channel] as { samples: Float32Array }).samples.subarray(start, start + length),
    (samples) => parts.push(samples),
  )
  const packed = concatSamples(parts)
  return { samples: packed, pieces }
}

const toMs = (samples: number) => (samples / SAMPLE_RATE) * 1000

/** The piece a packed time belongs to: the one it falls in, or the next one if it falls in a seam. */
function pieceAt(pieces: PackedPiece[], packedMs: number): number {
  const at = (packedMs / 1000) * SAMPLE_RATE
  const index = pieces.findIndex((piece) => at < piece.packedStart + piece.length)
  return index === -1 ? pieces.length - 1 : index
}

/**
 * Whisper may run one segment over a seam, from one stretch (or speaker) into the next: such a segment is
 * cut where its tokens move to another piece, so each part keeps its own time and speaker. A token's piece
 * is the one its middle falls in; the text is cut by the tokens' byte lengths, on character boundaries.
 */
export function splitAtSeams(segment: EngineSegment, pieces: PackedPiece[]): EngineSegment[] {
  const tokens = segment.tokens ?? []
  if (tokens.length < 2) return [segment]
  const bytes = Buffer.from(segment.text, 'utf8')
  const parts: { piece: number; from: number; to: number; tokens: typeof tokens }[] = []
  let offset = 0
  for (const token of tokens) {
    const piece = pieceAt(pieces, (token[0] + token[1]) / 2)
    const last = parts.at(-1)
    if (last && last.piece === piece) last.tokens.push(token)
    else parts.push({ piece, from: offset, to: offset, tokens: [token] })
    offset += token[3]
    ;(parts.at(-1) as (typeof parts)[number]).to = offset
  }
  if (parts.length === 1) return [segment]
  // Never cut inside a character: a cut that lands on a continuation byte moves to the character's end.
  const boundary = (at: number) => {
    let cut = Math.min(at, bytes.length)
    while (cut < bytes.length && ((bytes[cut] as number) & 0xc0) === 0x80) cut++
    return cut
  }
  return parts.map((part, index) => {
    const first = part.tokens[0] as (typeof tokens)[number]
    const last = part.tokens.at(-1) as (typeof tokens)[number]
    // Each part lies within its piece, so mapping it back finds the same piece (and speaker).
    const piece = pieces[part.piece] as PackedPiece
    const pieceStart = toMs(piece.packedStart)
    const pieceEnd = toMs(piece.packedStart + piece.length)
    const t0 = Math.min(
      Math.max(index === 0 ? Math.max(segment.t0, first[0]) : first[0], pieceStart),
      pieceEnd,
    )
    return {
      t0,
      t1: Math.min(Math.max(last[1], t0), pieceEnd),
      text: bytes
        .subarray(
          index === 0 ? 0 : boundary(part.from),
          index === parts.length - 1 ? bytes.length : boundary(part.to),
        )
        .toString('utf8'),
      p: part.tokens.reduce((sum, token) => sum + token[2], 0) / part.tokens.length,
      noSpeech: segment.noSpeech,
    }
  })
}

/**
 * Maps a segment's packed times onto the recording. It belongs to the piece its start falls in (a start in
 * a seam belongs to the next piece), and so to that piece's channel; its end stays inside that piece, so a
 * segment never stretches over the silence (or the other speaker's turn) that packing removed.
 */
export function unpackTimes(
  pieces: PackedPiece[],
  packedStartMs: number,
  packedEndMs: number,
): { startMs: number; endMs: number; channel: number } {
  const start = (packedStartMs / 1000) * SAMPLE_RATE
  const piece = pieces[pieceAt(pieces, packedStartMs)] as PackedPiece
  const offset = Math.min(Math.max(start - piece.packedStart, 0), piece.length)
  const end = (packedEndMs / 1000) * SAMPLE_RATE
  const endOffset = Math.min(Math.max(end - piece.packedStart, offset), piece.length)
  return { startMs: toMs(piece.start + offset), endMs: toMs(piece.start + endOffset), channel: piece.channel }
}

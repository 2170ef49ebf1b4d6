import { describe, expect, it } from 'vitest'
import { SAMPLE_RATE } from '../../src/main/transcription/audio'
import {
  packSpeech,
  SEAM_SAMPLES,
  speechRequests,
  splitAtSeams,
  unpackTimes,
} from '../../src/main/transcription/packing'

const seconds = (s: number) => Math.round(s * SAMPLE_RATE)
const seam = (SEAM_SAMPLES / SAMPLE_RATE) * 1000

describe('packing a channel’s speech into full windows', () => {
  // A channel that speaks at 2–5 s, 20–24 s and 61–62 s of a 70-s recording.
  const samples = new Float32Array(seconds(70)).map((_, i) => (i % 100) / 100)
  const spans = [
    { start: seconds(2), end: seconds(5) },
    { start: seconds(20), end: seconds(24) },
    { start: seconds(61), end: seconds(62) },
  ]
  const packed = packSpeech([{ samples, spans }])

  it('keeps only the speech, in order, with a short silence at each seam', () => {
    expect(packed.samples.length).toBe(seconds(3 + 4 + 1) + 2 * SEAM_SAMPLES)
    expect(packed.samples[0]).toBe(samples[seconds(2)])
    expect(packed.samples[seconds(3) + SEAM_SAMPLES]).toBe(samples[seconds(20)])
    expect(packed.samples[seconds(3) + 1]).toBe(0) // the seam
  })

  it('maps packed times back to the recording, each segment inside the stretch it starts in', () => {
    // Inside the first stretch.
    expect(unpackTimes(packed.pieces, 500, 2500)).toEqual({ startMs: 2500, endMs: 4500, channel: 0 })
    // In the second stretch: 3 s + seam into the packed audio is 20 s into the recording.
    expect(unpackTimes(packed.pieces, 3000 + seam + 1000, 3000 + seam + 3000)).toEqual({
      startMs: 21_000,
      endMs: 23_000,
      channel: 0,
    })
    // A segment running over a seam ends where its stretch ends, not in the other speaker's turn.
    expect(unpackTimes(packed.pieces, 2000, 3000 + seam + 2000)).toMatchObject({ startMs: 4000, endMs: 5000 })
    // A start inside a seam belongs to the next stretch.
    expect(unpackTimes(packed.pieces, 3000 + seam / 2, 3000 + seam + 500).startMs).toBe(20_000)
    // Past the end: clamped to the last stretch.
    expect(unpackTimes(packed.pieces, 99_000, 99_500)).toMatchObject({ startMs: 62_000, endMs: 62_000 })
  })

  it('puts two channels’ turns in the order they were said, each piece keeping its speaker', () => {
    const caller = new Float32Array(seconds(20)).fill(0.1)
    const staff = new Float32Array(seconds(20)).fill(0.2)
    const both = packSpeech([
      { samples: caller, spans: [{ start: seconds(5), end: seconds(8) }] },
      {
        samples: staff,
        spans: [
          { start: 0, end: seconds(4) },
          { start: seconds(9), end: seconds(12) },
        ],
      },
    ])
    expect(both.pieces.map((piece) => [piece.channel, piece.start / SAMPLE_RATE])).toEqual([
      [1, 0],
      [0, 5],
      [1, 9],
    ])
    expect(both.samples[seconds(4) + SEAM_SAMPLES + 10]).toBeCloseTo(0.1) // the caller's turn comes second
    // A segment heard in the caller's turn is the caller's, at the caller's time.
    expect(unpackTimes(both.pieces, 4000 + seam + 500, 4000 + seam + 2500)).toEqual({
      startMs: 5500,
      endMs: 7500,
      channel: 0,
    })
  })

  it('cuts a segment Whisper ran over a seam where its tokens change speaker, on character boundaries', () => {
    const caller = new Float32Array(seconds(10))
    const staff = new Float32Array(seconds(10))
    const { pieces } = packSpeech([
      { samples: caller, spans: [{ start: 0, end: seconds(2) }] },
      { samples: staff, spans: [{ start: seconds(3), end: seconds(5) }] },
    ])
    // Whisper's byte-level tokens may split a Hebrew letter: here the 3rd token ends inside "ם".
    const text = ' שלום כן'
    const bytes = Buffer.byteLength
    const tokens: [number, number, number, number][] = [
      [0, 600, 0.9, bytes(' ש')],
      [600, 1000, 0.8, bytes('ל')],
      [1000, 1900, 0.7, bytes('ו') + 1], // ends after the first byte of "ם"
      [2600, 3400, 0.5, 1 + bytes(' כן')], // after the 2-s caller piece and the seam: the staff's turn
    ]
    const parts = splitAtSeams({ t0: 0, t1: 3400, text, p: 0.7, noSpeech: 0.1, tokens }, pieces)
    expect(parts.map((part) => part.text)).toEqual([' שלום', ' כן'])
    expect(parts.map((part) => unpackTimes(pieces, part.t0, part.t1).channel)).toEqual([0, 1])
    expect(parts[1]).toMatchObject({ t0: 2600, t1: 3400, p: 0.5 })
    // A segment inside one stretch stays whole.
    const whole = { t0: 0, t1: 1900, text: ' שלום', p: 0.8, noSpeech: 0, tokens: tokens.slice(0, 3) }
    expect(splitAtSeams(whole, pieces)).toEqual([whole])
  })

  it('splits a long call into engine requests that each fit, in spoken order, losing no speech', () => {
    // Caller 0–40 s (one long stretch), staff 41–45 s and 50–52 s, caller 60–62 s; requests of at most 20 s.
    const caller = [
      { start: 0, end: seconds(40) },
      { start: seconds(60), end: seconds(62) },
    ]
    const staff = [
      { start: seconds(41), end: seconds(45) },
      { start: seconds(50), end: seconds(52) },
    ]
    const requests = speechRequests([caller, staff], seconds(20))
    for (const request of requests) {
      const stretches = request.flat()
      const packed =
        stretches.reduce((sum, s) => sum + s.end - s.start, 0) + (stretches.length - 1) * SEAM_SAMPLES
      expect(packed).toBeLessThanOrEqual(seconds(20))
    }
    // Every sample of every channel's speech is in exactly one request, in order.
    for (const [channel, spans] of [caller, staff].entries()) {
      const covered = requests.flatMap((request) => request[channel] ?? [])
      expect(covered.reduce((sum, s) => sum + s.end - s.start, 0)).toBe(
        spans.reduce((sum, s) => sum + s.end - s.start, 0),
      )
      for (let i = 1; i < covered.length; i++)
        expect(covered[i]!.start).toBeGreaterThanOrEqual(covered[i - 1]!.end)
    }
    const firstStart = (request: { start: number }[][]) => Math.min(...request.flat().map((s) => s.start))
    expect(requests.map(firstStart)).toEqual([...requests.map(firstStart)].sort((a, b) => a - b))
    // A short call stays one request.
    expect(speechRequests([caller, staff])).toHaveLength(1)
  })
})

import { describe, expect, it } from 'vitest'
import {
  isRepetitionLoop,
  mergeByTime,
  placeSegments,
  shiftedBy,
} from '../../src/main/transcription/segments'

const chunk = { toRecording: shiftedBy(10_000, 0, 'caller'), durationMs: 8_000 }

describe('placing engine segments', () => {
  it('shifts times onto the recording, clamps them into the chunk and keeps them in order', () => {
    const placed = placeSegments(
      [
        { t0: -500_000, t1: 2_000, text: ' Hello there.', p: 0.9, noSpeech: 0.01 },
        { t0: 1_000, t1: 90_000, text: ' Second line.', p: 0.9, noSpeech: 0.01 },
      ],
      chunk,
    )
    expect(placed.map((s) => [s.startMs, s.endMs, s.text])).toEqual([
      [10_000, 12_000, 'Hello there.'],
      [11_000, 18_000, 'Second line.'],
    ])
    expect(placed.every((s) => s.speaker === 'caller' && s.channel === 0)).toBe(true)
  })

  it('flags doubtful text and drops what Whisper heard in silence', () => {
    const placed = placeSegments(
      [
        { t0: 0, t1: 1000, text: 'mumble', p: 0.2, noSpeech: 0.1 },
        { t0: 1000, t1: 2000, text: 'Thank you.', p: 0.3, noSpeech: 0.9 },
        { t0: 2000, t1: 3000, text: 'Same words.', p: 0.9, noSpeech: 0 },
        { t0: 3000, t1: 4000, text: 'same words', p: 0.9, noSpeech: 0 },
        { t0: 4000, t1: 5000, text: 'ok ok ok ok ok ok ok ok ok ok', p: 0.9, noSpeech: 0 },
      ],
      chunk,
    )
    expect(placed.map((s) => [s.text, s.flags])).toEqual([
      ['mumble', ['low-confidence']],
      ['Same words.', []],
      ['same words', ['repeated']],
      ['ok ok ok ok ok ok ok ok ok ok', ['repeated']],
    ])
  })

  it('recognises repetition loops but not ordinary speech', () => {
    expect(
      isRepetitionLoop('to of a in is you that it to of a in is you that it to of a in is you that it'),
    ).toBe(true)
    expect(isRepetitionLoop('We can send a technician tomorrow morning at nine. What is the address?')).toBe(
      false,
    )
    expect(isRepetitionLoop('שלום שלום שלום שלום שלום שלום שלום שלום')).toBe(true)
  })

  it('merges two speakers onto one timeline', () => {
    const a = { endMs: 0, channel: 0, speaker: 'caller', text: 'a', confidence: 1, flags: [] }
    const b = { ...a, channel: 1, speaker: 'staff', text: 'b' }
    const merged = mergeByTime([
      [
        { ...a, startMs: 5000 },
        { ...a, startMs: 1000 },
      ],
      [
        { ...b, startMs: 3000 },
        { ...b, startMs: 1000 },
      ],
    ])
    expect(merged.map((s) => `${s.startMs}${s.text}`)).toEqual(['1000a', '1000b', '3000b', '5000a'])
  })
})

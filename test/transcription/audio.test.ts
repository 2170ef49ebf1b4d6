import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AudioError, SAMPLE_RATE, decodeRecording, resample } from '../../src/main/transcription/audio'
import { findSpeech } from '../../src/main/transcription/speech'
import { audioFixture, referenceTranscript } from '../helpers/fixtures'
import { encodeWav } from '../helpers/wav'

const load = (name: string) => new Uint8Array(readFileSync(audioFixture(name)))

describe('decoding recordings', () => {
  it('decodes a two-channel Twilio MP3 into two 16 kHz channels of the right length', async () => {
    const audio = await decodeRecording(load('plumbing-en-dual.mp3'), 'mp3', 60)
    expect(audio.channels).toHaveLength(2)
    expect(audio.durationSec).toBeCloseTo(referenceTranscript('plumbing-en').duration_s, 0)
    expect(audio.channels[0]!.length / SAMPLE_RATE).toBeCloseTo(audio.durationSec, 1)
    expect(audio.notes).toEqual([])
  })

  it('treats a mono recording as one channel', async () => {
    expect((await decodeRecording(load('plumbing-en.mp3'), 'mp3', null)).channels).toHaveLength(1)
  })

  it('gives a specific reason for files that cannot be transcribed', async () => {
    await expect(decodeRecording(load('empty.mp3'), 'mp3', 60)).rejects.toThrow(
      new AudioError('The recording file is empty (0 bytes).'),
    )
    await expect(decodeRecording(load('garbage.mp3'), 'mp3', 60)).rejects.toThrow(
      /not valid MP3 audio: \d+ damaged frames/,
    )
    await expect(decodeRecording(load('plumbing-en.mp3'), 'wav', 60)).rejects.toThrow(/not a WAV file/)
  })

  it('notes a recording that ends early instead of failing it', async () => {
    const audio = await decodeRecording(load('truncated.mp3'), 'mp3', 60)
    expect(audio.durationSec).toBeGreaterThan(5)
    expect(audio.notes).toEqual(['The recording ends after 7 s of 60 s; the rest of the file is missing.'])
  })

  it('decodes 16-bit PCM WAV', async () => {
    const tone = Float32Array.from(
      { length: 8000 },
      (_, i) => (Math.sin((2 * Math.PI * 440 * i) / 8000) * 16000) / 32767,
    )
    const wav = encodeWav(tone, 8000)
    const audio = await decodeRecording(new Uint8Array(wav), 'wav', 1)
    expect(audio.channels).toHaveLength(1)
    expect(audio.channels[0]!.length).toBe(16000)
    expect(Math.max(...audio.channels[0]!)).toBeCloseTo(16000 / 32768, 2)
  })

  it('resampling 8 → 16 kHz keeps a tone at its pitch', () => {
    const tone = Float32Array.from({ length: 8000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 8000))
    const up = resample(tone, 8000, 16000)
    let crossings = 0
    for (let i = 1; i < up.length; i++) if (up[i - 1]! < 0 !== up[i]! < 0) crossings++
    expect(up.length).toBe(16000)
    expect(crossings).toBeGreaterThan(1990) // 1 kHz for one second: 2000 zero crossings
    expect(crossings).toBeLessThan(2010)
  })
})

describe('finding speech', () => {
  it("keeps every line of each speaker's channel and finds nothing in silence", async () => {
    const audio = await decodeRecording(load('plumbing-en-dual.mp3'), 'mp3', 60)
    const reference = referenceTranscript('plumbing-en')
    for (const [channel, speaker] of [
      [0, 'caller'],
      [1, 'staff'],
    ] as const) {
      const spans = findSpeech(audio.channels[channel]!)
      expect(spans.length).toBeGreaterThan(0)
      for (const line of reference.lines.filter((l) => l.speaker === speaker)) {
        const middle = ((line.start + line.end) / 2) * SAMPLE_RATE
        expect(
          spans.some((span) => span.start <= middle && middle <= span.end),
          `${speaker} at ${line.start}s`,
        ).toBe(true)
      }
    }
    const silence = await decodeRecording(load('silence-20s.mp3'), 'mp3', 20)
    expect(findSpeech(silence.channels[0]!)).toEqual([])
  })

  it('skips long silences: a 10 s pause splits the speech in two', () => {
    const samples = new Float32Array(SAMPLE_RATE * 16)
    for (const [from, to] of [
      [0, 3],
      [13, 16],
    ] as const) {
      for (let i = from * SAMPLE_RATE; i < to * SAMPLE_RATE; i++) samples[i] = Math.sin(i / 5) * 0.3
    }
    const spans = findSpeech(samples)
    expect(spans).toHaveLength(2)
    expect(spans[1]!.start / SAMPLE_RATE).toBeGreaterThan(12)
  })
})

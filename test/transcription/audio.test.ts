import { notice } from '../../src/shared/notice'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  AudioError,
  Resampler,
  SAMPLE_RATE,
  bytesSource,
  decodeRecording,
  resample,
  streamRecording,
} from '../../src/main/transcription/audio'
import { findSpeech } from '../../src/main/transcription/speech'
import { audioFixture, referenceTranscript } from '../helpers/fixtures'
import { craftedWav, encodeWav } from '../helpers/wav'

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
      new AudioError(notice('audio.empty')),
    )
    await expect(decodeRecording(load('garbage.mp3'), 'mp3', 60)).rejects.toMatchObject({
      notice: { code: 'audio.undecodable', params: { format: 'MP3', damagedFrames: expect.any(Number) } },
    })
  })

  it('goes by what the bytes are, not the name: an MP3 named .wav and a WAV named .mp3 both decode', async () => {
    const asWav = await decodeRecording(load('plumbing-en.mp3'), 'wav', 60)
    expect(asWav.durationSec).toBeCloseTo(60.4, 0)
    const tone = Float32Array.from({ length: 8000 }, (_, i) => Math.sin(i / 3) / 2)
    const asMp3 = await decodeRecording(new Uint8Array(encodeWav(tone, 8000)), 'mp3', 1)
    expect(asMp3.durationSec).toBeCloseTo(1, 2)
  })

  it.each([
    ['0 channels', { channels: 0 }, notice('audio.wav-channels', { channels: 0 })],
    ['200 channels', { channels: 200 }, notice('audio.wav-channels', { channels: 200 })],
    ['0 bits per sample', { bits: 0 }, notice('audio.wav-encoding', { format: 1, bits: 0 })],
    ['12 bits per sample', { bits: 12 }, notice('audio.wav-encoding', { format: 1, bits: 12 })],
    ['a rate of 0', { rate: 0 }, notice('audio.wav-rate', { rate: 0 })],
    ['a rate of 1 Hz (5 s would become 11 hours)', { rate: 1 }, notice('audio.wav-rate', { rate: 1 })],
    ['an unknown format code', { code: 85 }, notice('audio.wav-encoding', { format: 85, bits: 16 })],
  ])('refuses a WAV header with %s at once, with the reason', async (_name, format, reason) => {
    const bytes = new Uint8Array(craftedWav(format))
    await expect(decodeRecording(bytes, 'wav', 5)).rejects.toMatchObject({ notice: reason })
    await expect(decodeRecording(bytes, 'wav', 5)).rejects.toBeInstanceOf(AudioError)
  })

  it('refuses a recording longer than 12 hours before decoding it', async () => {
    // 8 kHz mono 8-bit: 13 hours are 374 MB; a header may claim them with a few bytes of data
    // only when the file really holds them, so make the rate the lie: 16 bits at 4 kHz for 400 MB.
    const thirteenHours = 13 * 3600 * 4000 * 2
    const header = craftedWav({ rate: 4000, dataSize: thirteenHours }, 0)
    const bytes = new Uint8Array(thirteenHours + header.length)
    bytes.set(header)
    await expect(decodeRecording(bytes, 'wav', null)).rejects.toMatchObject({
      notice: notice('audio.too-long', { hours: 13, maxHours: 12 }),
    })
  })

  it('notes a recording that ends early instead of failing it', async () => {
    const audio = await decodeRecording(load('truncated.mp3'), 'mp3', 60)
    expect(audio.durationSec).toBeGreaterThan(5)
    expect(audio.notes).toEqual([notice('note.ends-early', { seconds: 7, expectedSeconds: 60 })])
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

  it('resamples a block at a time as in one piece, whatever the block sizes', () => {
    const input = Float32Array.from({ length: 8003 }, (_, i) => Math.sin(i / 7) * 0.5)
    for (const [from, blocks] of [
      [8000, [1, 2, 3, 1000, 7000]],
      [22050, [4096, 3907]],
      [44100, [1, 1, 8001]],
    ] as const) {
      const whole = resample(input, from)
      const streamed: number[] = []
      const resampler = new Resampler(from)
      let at = 0
      for (const size of blocks) {
        streamed.push(...resampler.push(input.subarray(at, at + size)))
        at += size
      }
      streamed.push(...resampler.flush())
      // The same samples; the stream may keep one more interpolated sample at the very end.
      expect(streamed.length - whole.length, `${from} Hz`).toBeGreaterThanOrEqual(0)
      expect(streamed.length - whole.length, `${from} Hz`).toBeLessThanOrEqual(1)
      whole.forEach((value, i) => expect(streamed[i]).toBeCloseTo(value, 5))
    }
  })

  it('a decode stopped midway (a full disk) leaves the MP3 decoder ready for the next recording', async () => {
    const fresh = await decodeRecording(load('voicemail-en.mp3'), 'mp3', null)
    const full = () => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })
    }
    await expect(
      streamRecording(bytesSource(load('plumbing-en.mp3')), 'mp3', null, { write: full }),
    ).rejects.toThrow('no space left')
    const after = await decodeRecording(load('voicemail-en.mp3'), 'mp3', null)
    expect(after.durationSec).toBe(fresh.durationSec)
    expect(after.channels[0]!.length).toBe(fresh.channels[0]!.length)
    expect(after.channels[0]!.slice(0, 16_000)).toEqual(fresh.channels[0]!.slice(0, 16_000))
  })
})

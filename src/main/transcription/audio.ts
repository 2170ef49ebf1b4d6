import { fstatSync, readSync } from 'node:fs'
import { MPEGDecoder } from 'mpg123-decoder'
import { NoticeError, notice, type Notice } from '../../shared/notice'

export const SAMPLE_RATE = 16_000

export interface DecodedAudio {
  /** One array per channel, 16 kHz mono float in [-1, 1]. A mono file has one channel. */
  channels: Float32Array[]
  durationSec: number
  /** Things the user should know about the file that did not stop the transcription. */
  notes: Notice[]
}

/** A recording that cannot be transcribed, with the reason in words. No retry can fix it. */
export class AudioError extends NoticeError {
  constructor(notice: Notice) {
    super(notice)
    this.name = 'AudioError'
  }
}

/** Linear interpolation: phone audio has nothing above 4 kHz, so 8 → 16 kHz loses nothing. */
export function resample(input: Float32Array, fromRate: number, toRate = SAMPLE_RATE): Float32Array {
  if (fromRate === toRate) return input
  const resampler = new Resampler(fromRate, toRate)
  return concatSamples([resampler.push(input), resampler.flush()])
}

/** Blocks of samples end to end in one array. */
export function concatSamples(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/**
 * Linear interpolation a chunk at a time: it keeps the last input sample and where the next output
 * falls, so a long call is resampled as it is decoded without holding it.
 */
export class Resampler {
  private readonly step: number
  private previous = 0
  /** Where the next output sample falls, in input samples from the start of the next chunk (-1 … 0 uses `previous`). */
  private position = 0
  private inputCount = 0
  private outputCount = 0

  constructor(fromRate: number, toRate = SAMPLE_RATE) {
    this.step = fromRate / toRate
  }

  push(input: Float32Array): Float32Array {
    if (this.step === 1) return input
    if (input.length === 0) return input
    const count = Math.max(0, Math.floor((input.length - 1 - this.position) / this.step) + 1)
    const output = new Float32Array(count)
    for (let i = 0; i < count; i++) {
      const position = this.position + i * this.step
      const left = Math.floor(position)
      const fraction = position - left
      const a = left < 0 ? this.previous : (input[left] as number)
      const b = input[Math.min(left + 1, input.length - 1)] as number
      output[i] = a * (1 - fraction) + b * fraction
    }
    this.position += count * this.step - input.length
    this.previous = input[input.length - 1] as number
    this.inputCount += input.length
    this.outputCount += count
    return output
  }

  /** The end of the stream: the outputs past the last input sample hold it. */
  flush(): Float32Array {
    if (this.step === 1) return new Float32Array(0)
    const missing = Math.max(0, Math.floor(this.inputCount / this.step) - this.outputCount)
    this.outputCount += missing
    return new Float32Array(missing).fill(this.previous)
  }
}

function identical(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Longest recording the app will transcribe: anything longer is a broken header or not a call. */
export const MAX_RECORDING_SECONDS = 12 * 60 * 60
const WAV_ENCODINGS = new Set(['1/8', '1/16', '3/32', '7/8'])

/**
 * Checks a WAV format chunk before any sample is read: a crafted header (0 channels, 0 bits, a rate of
 * 1 Hz) would otherwise loop for ever or expand a few seconds into hours.
 */
function checkWavFormat(
  format: { code: number; channels: number; rate: number; bits: number },
  dataBytes: number,
): void {
  if (format.channels < 1 || format.channels > 8)
    throw new AudioError(notice('audio.wav-channels', { channels: format.channels }))
  if (!WAV_ENCODINGS.has(`${format.code}/${format.bits}`))
    throw new AudioError(notice('audio.wav-encoding', { format: format.code, bits: format.bits }))
  if (format.rate < 4000 || format.rate > 192_000)
    throw new AudioError(notice('audio.wav-rate', { rate: format.rate }))
  refuseTooLong(dataBytes / ((format.bits / 8) * format.channels * format.rate))
}

function refuseTooLong(seconds: number): void {
  if (seconds > MAX_RECORDING_SECONDS)
    throw new AudioError(
      notice('audio.too-long', { hours: Math.round(seconds / 3600), maxHours: MAX_RECORDING_SECONDS / 3600 }),
    )
}

/** What the bytes are, whatever the file is called: a WAV named .mp3 is a WAV. */
export function sniffAudioFormat(bytes: Uint8Array): 'mp3' | 'wav' | null {
  const ascii = (offset: number, length: number) =>
    String.fromCharCode(...bytes.subarray(offset, offset + length))
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WAVE') return 'wav'
  if (bytes.length >= 3 && ascii(0, 3) === 'ID3') return 'mp3'
  // An MPEG audio frame starts with 11 set sync bits.
  if (bytes.length >= 2 && bytes[0] === 0xff && ((bytes[1] as number) & 0xe0) === 0xe0) return 'mp3'
  return null
}

function muLaw(byte: number): number {
  const u = ~byte & 0xff
  const sign = u & 0x80 ? -1 : 1
  const exponent = (u >> 4) & 0x07
  const magnitude = ((u & 0x0f) << 3) + 0x84
  return (sign * ((magnitude << exponent) - 0x84)) / 32768
}

/** Where the recording's bytes come from: memory (tests) or a file read a block at a time (the app). */
export interface ByteSource {
  size: number
  read(position: number, length: number): Uint8Array
}

export const bytesSource = (bytes: Uint8Array): ByteSource => ({
  size: bytes.length,
  read: (position, length) => bytes.subarray(position, position + length),
})

/** Reads an open file by position; the caller closes it. */
export function fileSource(fd: number): ByteSource {
  return {
    size: fstatSync(fd).size,
    read(position, length) {
      const buffer = Buffer.alloc(Math.max(0, length))
      return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, position))
    },
  }
}

const BLOCK = 1 << 20

interface RawStream {
  sampleRate: number
  /** Source-rate samples per channel, as decoded; returns the MP3 decoder's error count at the end. */
  blocks: AsyncGenerator<Float32Array[], number>
}

function wavStream(source: ByteSource): RawStream {
  const tag = (bytes: Uint8Array, offset: number) =>
    String.fromCharCode(...bytes.subarray(offset, offset + 4))
  let offset = 12
  let format: { code: number; channels: number; rate: number; bits: number } | undefined
  while (offset + 8 <= source.size) {
    const head = source.read(offset, 8)
    const id = tag(head, 0)
    const size = new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true)
    if (id === 'fmt ') {
      const chunk = source.read(offset + 8, Math.min(size, 40))
      if (chunk.length < 16) throw new AudioError(notice('audio.wav-format-short'))
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      format = {
        code: view.getUint16(0, true),
        channels: view.getUint16(2, true),
        rate: view.getUint32(4, true),
        bits: view.getUint16(14, true),
      }
    } else if (id === 'data') {
      if (!format) throw new AudioError(notice('audio.wav-no-format'))
      const start = offset + 8
      const end = Math.min(source.size, start + size)
      checkWavFormat(format, end - start)
      return { sampleRate: format.rate, blocks: wavBlocks(source, format, start, end) }
    }
    offset += 8 + size + (size % 2)
  }
  throw new AudioError(notice('audio.wav-no-data'))
}

async function* wavBlocks(
  source: ByteSource,
  format: { code: number; channels: number; bits: number },
  start: number,
  end: number,
): AsyncGenerator<Float32Array[], number> {
  const width = format.bits / 8
  const frameBytes = width * format.channels
  const blockBytes = Math.max(frameBytes, BLOCK - (BLOCK % frameBytes))
  for (let at = start; at + frameBytes <= end; at += blockBytes) {
    const bytes = source.read(at, Math.min(blockBytes, end - at))
    const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const frames = Math.floor(bytes.length / frameBytes)
    const channels = Array.from({ length: format.channels }, () => new Float32Array(frames))
    for (let frame = 0; frame < frames; frame++) {
      for (let channel = 0; channel < format.channels; channel++) {
        const position = (frame * format.channels + channel) * width
        let value: number
        if (format.code === 3 && format.bits === 32) value = data.getFloat32(position, true)
        else if (format.code === 1 && format.bits === 16) value = data.getInt16(position, true) / 32768
        else if (format.code === 1 && format.bits === 8) value = (data.getUint8(position) - 128) / 128
        else
          value = muLaw(data.getUint8(position)) // 7/8: checkWavFormat allows nothing else
        ;(channels[channel] as Float32Array)[frame] = value
      }
    }
    yield channels
  }
  return 0
}

let decoder: MPEGDecoder | undefined

async function mp3Stream(source: ByteSource): Promise<RawStream> {
  decoder ??= new MPEGDecoder()
  await decoder.ready
  const mpeg = decoder
  // The decoder keeps its state between blocks; the first block that yields audio sets the rate.
  const pending: Float32Array[][] = []
  let errors = 0
  let at = 0
  let sampleRate = 0
  const decodeNext = (): boolean => {
    if (at >= source.size) return false
    // The WASM decoder logs every bad frame to the console; we report them once, in words.
    const log = console.error
    console.error = () => undefined
    try {
      const result = mpeg.decode(source.read(at, BLOCK))
      errors += result.errors.length
      if (result.samplesDecoded > 0) {
        sampleRate ||= result.sampleRate
        pending.push(result.channelData.slice(0, 2))
      }
    } finally {
      console.error = log
    }
    at += BLOCK
    return true
  }
  while (sampleRate === 0 && decodeNext()) {
    // read until the first frame
  }
  async function* blocks(): AsyncGenerator<Float32Array[], number> {
    try {
      for (;;) {
        const next = pending.shift()
        if (next) yield next
        else if (!decodeNext()) break
      }
      return errors
    } finally {
      await mpeg.reset()
    }
  }
  return { sampleRate, blocks: blocks() }
}

/** Where decoded 16-kHz audio goes, a block per channel at a time. */
export interface PcmSink {
  write(channel: number, samples: Float32Array): void
}

export interface StreamedAudio {
  /** How many channels the recording really has (an MP3's two identical ones are one). */
  channels: number
  durationSec: number
  notes: Notice[]
}

/**
 * Decodes a recording (MP3 or WAV) to 16 kHz float channels, a block at a time into `sink` — memory stays
 * the same whatever the call's length — with a specific reason when it cannot: empty files, files that are
 * not audio, files that end early, and absurd lengths are each told apart. An MP3 always decodes to two
 * channels; when they are identical throughout, the recording is mono and channel 1 is to be ignored.
 */
export async function streamRecording(
  source: ByteSource,
  named: 'mp3' | 'wav',
  expectedDurationSec: number | null,
  sink: PcmSink,
): Promise<StreamedAudio> {
  if (source.size === 0) throw new AudioError(notice('audio.empty'))
  // The container decides, not the name; unknown bytes go to the MP3 decoder, which finds frames
  // after junk (or says there are none).
  const format = sniffAudioFormat(source.read(0, 12)) ?? named
  const stream = format === 'wav' ? wavStream(source) : await mp3Stream(source)
  let resamplers: Resampler[] = []
  let sampleCount = 0
  let same = true
  let channelCount = 0
  let next = await stream.blocks.next()
  try {
    while (!next.done) {
      const block = next.value
      channelCount = block.length
      if (resamplers.length === 0) resamplers = block.map(() => new Resampler(stream.sampleRate))
      sampleCount += block[0]?.length ?? 0
      refuseTooLong(sampleCount / stream.sampleRate)
      if (block.length === 2 && same) same = identical(block[0] as Float32Array, block[1] as Float32Array)
      block.forEach((samples, channel) =>
        sink.write(channel, (resamplers[channel] as Resampler).push(samples)),
      )
      next = await stream.blocks.next()
    }
  } finally {
    // Stopped early (too long, a full disk): the MP3 decoder is reset for the next recording all the same.
    if (!next.done) await stream.blocks.return(0)
  }
  resamplers.forEach((resampler, channel) => sink.write(channel, resampler.flush()))
  const errors = next.value
  const seconds = stream.sampleRate > 0 ? sampleCount / stream.sampleRate : 0
  if (sampleCount === 0 || (errors > 0 && (seconds < 1 || errors > seconds * 2))) {
    throw new AudioError(notice('audio.undecodable', { format: format.toUpperCase(), damagedFrames: errors }))
  }
  const notes: Notice[] = []
  if (errors > 0) notes.push(notice('note.damaged-frames', { count: errors }))
  if (expectedDurationSec !== null && expectedDurationSec - seconds > 2) {
    notes.push(
      notice('note.ends-early', {
        seconds: Math.round(seconds),
        expectedSeconds: Math.round(expectedDurationSec),
      }),
    )
  }
  return { channels: channelCount === 2 && same ? 1 : channelCount, durationSec: seconds, notes }
}

/** The whole recording in memory (tests, the benchmark's call generator): see streamRecording. */
export async function decodeRecording(
  bytes: Uint8Array,
  named: 'mp3' | 'wav',
  expectedDurationSec: number | null,
): Promise<DecodedAudio> {
  const blocks: Float32Array[][] = []
  const audio = await streamRecording(bytesSource(bytes), named, expectedDurationSec, {
    write: (channel, samples) => (blocks[channel] ??= []).push(samples),
  })
  const joined = blocks.slice(0, audio.channels).map(concatSamples)
  return { channels: joined, durationSec: audio.durationSec, notes: audio.notes }
}

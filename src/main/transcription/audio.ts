import { MPEGDecoder } from 'mpg123-decoder'

export const SAMPLE_RATE = 16_000

export interface DecodedAudio {
  /** One array per channel, 16 kHz mono float in [-1, 1]. A mono file has one channel. */
  channels: Float32Array[]
  durationSec: number
  /** Things the user should know about the file that did not stop the transcription. */
  notes: string[]
}

/** A recording that cannot be transcribed, with the reason in words. No retry can fix it. */
export class AudioError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AudioError'
  }
}

/** Linear interpolation: phone audio has nothing above 4 kHz, so 8 → 16 kHz loses nothing. */
export function resample(input: Float32Array, fromRate: number, toRate = SAMPLE_RATE): Float32Array {
  if (fromRate === toRate) return input
  const length = Math.floor((input.length * toRate) / fromRate)
  const output = new Float32Array(length)
  const step = fromRate / toRate
  for (let i = 0; i < length; i++) {
    const position = i * step
    const left = Math.floor(position)
    const right = Math.min(left + 1, input.length - 1)
    const fraction = position - left
    output[i] = (input[left] as number) * (1 - fraction) + (input[right] as number) * fraction
  }
  return output
}

function identical(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

let decoder: MPEGDecoder | undefined

async function decodeMp3(
  bytes: Uint8Array,
): Promise<{ channels: Float32Array[]; sampleRate: number; errors: number }> {
  decoder ??= new MPEGDecoder()
  await decoder.ready
  // The WASM decoder logs every bad frame to the console; we report them once, in words.
  const log = console.error
  console.error = () => undefined
  try {
    const result = decoder.decode(bytes)
    return {
      channels: result.channelData.slice(0, 2),
      sampleRate: result.sampleRate,
      errors: result.errors.length,
    }
  } finally {
    console.error = log
    await decoder.reset()
  }
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
    throw new AudioError(`The WAV header is damaged: it says the audio has ${format.channels} channels.`)
  if (!WAV_ENCODINGS.has(`${format.code}/${format.bits}`))
    throw new AudioError(`Unsupported WAV encoding (format ${format.code}, ${format.bits} bits).`)
  if (format.rate < 4000 || format.rate > 192_000)
    throw new AudioError(`The WAV header is damaged: it says ${format.rate} samples per second.`)
  refuseTooLong(dataBytes / ((format.bits / 8) * format.channels * format.rate))
}

function refuseTooLong(seconds: number): void {
  if (seconds > MAX_RECORDING_SECONDS)
    throw new AudioError(
      `The recording is ${Math.round(seconds / 3600)} hours long; recordings over ${MAX_RECORDING_SECONDS / 3600} hours are not transcribed.`,
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

function decodeWav(bytes: Uint8Array): { channels: Float32Array[]; sampleRate: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4))
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE')
    throw new AudioError('The file is not a WAV file (no RIFF/WAVE header).')
  let offset = 12
  let format: { code: number; channels: number; rate: number; bits: number } | undefined
  while (offset + 8 <= bytes.length) {
    const id = tag(offset)
    const size = view.getUint32(offset + 4, true)
    if (id === 'fmt ') {
      format = {
        code: view.getUint16(offset + 8, true),
        channels: view.getUint16(offset + 10, true),
        rate: view.getUint32(offset + 12, true),
        bits: view.getUint16(offset + 22, true),
      }
    } else if (id === 'data') {
      if (!format) throw new AudioError('The WAV file has no format chunk before its audio.')
      const end = Math.min(bytes.length, offset + 8 + size)
      const data = new DataView(bytes.buffer, bytes.byteOffset + offset + 8, end - offset - 8)
      checkWavFormat(format, data.byteLength)
      const width = format.bits / 8
      const frames = Math.floor(data.byteLength / (width * format.channels))
      const channels = Array.from({ length: format.channels }, () => new Float32Array(frames))
      for (let frame = 0; frame < frames; frame++) {
        for (let channel = 0; channel < format.channels; channel++) {
          const at = (frame * format.channels + channel) * width
          let value: number
          if (format.code === 3 && format.bits === 32) value = data.getFloat32(at, true)
          else if (format.code === 1 && format.bits === 16) value = data.getInt16(at, true) / 32768
          else if (format.code === 1 && format.bits === 8) value = (data.getUint8(at) - 128) / 128
          else
            value = muLaw(data.getUint8(at)) // 7/8: checkWavFormat allows nothing else
          ;(channels[channel] as Float32Array)[frame] = value
        }
      }
      return { channels, sampleRate: format.rate }
    }
    offset += 8 + size + (size % 2)
  }
  throw new AudioError('The WAV file has no audio data.')
}

function muLaw(byte: number): number {
  const u = ~byte & 0xff
  const sign = u & 0x80 ? -1 : 1
  const exponent = (u >> 4) & 0x07
  const magnitude = ((u & 0x0f) << 3) + 0x84
  return (sign * ((magnitude << exponent) - 0x84)) / 32768
}

/**
 * Decodes a recording (MP3 or WAV) to 16 kHz float channels, with a specific reason when it cannot:
 * empty files, files that are not audio, and files that end early are each told apart.
 */
export async function decodeRecording(
  bytes: Uint8Array,
  named: 'mp3' | 'wav',
  expectedDurationSec: number | null,
): Promise<DecodedAudio> {
  if (bytes.length === 0) throw new AudioError('The recording file is empty (0 bytes).')
  // The container decides, not the name; unknown bytes go to the MP3 decoder, which finds frames
  // after junk (or says there are none).
  const format = sniffAudioFormat(bytes) ?? named
  const decoded = format === 'wav' ? { ...decodeWav(bytes), errors: 0 } : await decodeMp3(bytes)
  const sampleCount = decoded.channels[0]?.length ?? 0
  const seconds = decoded.sampleRate > 0 ? sampleCount / decoded.sampleRate : 0
  refuseTooLong(seconds)
  if (sampleCount === 0 || (decoded.errors > 0 && (seconds < 1 || decoded.errors > seconds * 2))) {
    throw new AudioError(
      `The file is not valid ${format.toUpperCase()} audio: ${decoded.errors ? `${decoded.errors} damaged frames and ` : ''}no usable sound could be decoded.`,
    )
  }
  // The MP3 decoder always returns two channels; a mono recording has two identical ones.
  let channels = decoded.channels
  if (channels.length === 2 && identical(channels[0] as Float32Array, channels[1] as Float32Array))
    channels = [channels[0] as Float32Array]
  const notes: string[] = []
  if (decoded.errors > 0) notes.push(`${decoded.errors} damaged audio frames were skipped.`)
  if (expectedDurationSec !== null && expectedDurationSec - seconds > 2) {
    notes.push(
      `The recording ends after ${Math.round(seconds)} s of ${Math.round(expectedDurationSec)} s; the rest of the file is missing.`,
    )
  }
  return {
    channels: channels.map((channel) => resample(channel, decoded.sampleRate)),
    durationSec: seconds,
    notes,
  }
}

import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { Notice } from '../../shared/notice'
import { fileSource, streamRecording, type StreamedAudio } from './audio'
import { packSpeechInto, type PackedPiece } from './packing'
import { FrameLevels, speechSpans, type Span } from './speech'

/**
 * A recording decoded to one 16-kHz float file per channel in a scratch folder, measured for speech as it
 * is written: the app process holds a block of audio at a time, never the call (a 3-hour recording is as
 * light as a 5-minute one). Close it to delete the files.
 */
export class ChannelFiles {
  private readonly fds: number[] = []
  private readonly meters: FrameLevels[] = []
  private audio: StreamedAudio | undefined

  private constructor(private readonly dir: string) {}

  static async decode(
    audioPath: string,
    format: 'mp3' | 'wav',
    expectedDurationSec: number | null,
    dir: string,
  ): Promise<ChannelFiles> {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const files = new ChannelFiles(dir)
    const source = openSync(audioPath, 'r')
    try {
      files.audio = await streamRecording(fileSource(source), format, expectedDurationSec, {
        write: (channel, samples) => files.write(channel, samples),
      })
      return files
    } catch (error) {
      files.close()
      throw error
    } finally {
      closeSync(source)
    }
  }

  get durationSec(): number {
    return this.audio?.durationSec ?? 0
  }

  get notes(): Notice[] {
    return this.audio?.notes ?? []
  }

  /** The recording's real channels (an MP3's identical second channel is not one). */
  get channelCount(): number {
    return this.audio?.channels ?? 0
  }

  /** Where each channel speaks. */
  speech(): Span[][] {
    return this.meters.slice(0, this.channelCount).map((meter) => speechSpans(meter))
  }

  /** Packs the speech of every channel into one PCM file for the engine (see ./packing). */
  pack(spans: Span[][], path: string): { pieces: PackedPiece[]; samples: number } {
    const out = openSync(path, 'w', 0o600)
    let samples = 0
    try {
      const pieces = packSpeechInto(
        spans,
        (channel, start, length) => {
          const buffer = Buffer.alloc(length * 4)
          const read = readSync(this.fds[channel] as number, buffer, 0, buffer.length, start * 4)
          return new Float32Array(buffer.buffer, buffer.byteOffset, Math.floor(read / 4))
        },
        (part) => {
          samples += part.length
          writeSync(out, new Uint8Array(part.buffer, part.byteOffset, part.byteLength))
        },
      )
      return { pieces, samples }
    } finally {
      closeSync(out)
    }
  }

  close(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd)
    rmSync(this.dir, { recursive: true, force: true })
  }

  private write(channel: number, samples: Float32Array): void {
    this.fds[channel] ??= openSync(join(this.dir, `channel-${channel}.pcm`), 'w+', 0o600)
    ;(this.meters[channel] ??= new FrameLevels()).push(samples)
    writeSync(this.fds[channel], new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength))
  }
}

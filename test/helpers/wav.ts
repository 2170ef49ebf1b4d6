/** A 16-bit PCM WAV file from float samples, one array per channel (test and benchmark input). */
export function encodeWav(audio: Float32Array | Float32Array[], sampleRate: number): Buffer {
  const channels = Array.isArray(audio) ? audio : [audio]
  const frames = Math.min(...channels.map((channel) => channel.length))
  const data = Buffer.alloc(frames * 2 * channels.length)
  for (let i = 0; i < frames; i++)
    channels.forEach((channel, c) =>
      data.writeInt16LE(
        Math.max(-32768, Math.min(32767, Math.round((channel[i] as number) * 32767))),
        (i * channels.length + c) * 2,
      ),
    )
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + data.length, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(channels.length, 22)
  header.writeUInt32LE(sampleRate, 24)
  header.writeUInt32LE(sampleRate * 2 * channels.length, 28)
  header.writeUInt16LE(2 * channels.length, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36)
  header.writeUInt32LE(data.length, 40)
  return Buffer.concat([header, data])
}

/** A WAV whose format chunk says whatever the test wants (crafted input), with `dataBytes` of audio. */
export function craftedWav(
  format: { code?: number; channels?: number; rate?: number; bits?: number; dataSize?: number },
  dataBytes = 16_000,
): Buffer {
  const { code = 1, channels = 1, rate = 8000, bits = 16 } = format
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + dataBytes, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(code, 20)
  header.writeUInt16LE(channels, 22)
  header.writeUInt32LE(rate, 24)
  header.writeUInt32LE((rate * channels * bits) / 8, 28)
  header.writeUInt16LE((channels * bits) / 8, 32)
  header.writeUInt16LE(bits, 34)
  header.write('data', 36)
  header.writeUInt32LE(format.dataSize ?? dataBytes, 40)
  return Buffer.concat([header, Buffer.alloc(dataBytes, 1)])
}

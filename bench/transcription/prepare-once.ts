/**
 * The app process's side of one transcription, in a process of its own so its peak memory is this call's:
 * decode to channel files, find the speech, pack it for the engine (everything but the engine, which is
 * whisper.cpp's own memory). argv: audio path, scratch folder. Prints { peakMb, seconds, packedSeconds }.
 */
import { join } from 'node:path'
import { SAMPLE_RATE } from '../../src/main/transcription/audio'
import { ChannelFiles } from '../../src/main/transcription/channel-files'

const [audio, dir] = process.argv.slice(2) as [string, string]
const files = await ChannelFiles.decode(audio, 'wav', null, join(dir, 'call'))
try {
  const packed = files.pack(files.speech(), join(dir, 'packed.pcm'))
  console.info(
    JSON.stringify({
      peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
      seconds: Math.round(files.durationSec),
      packedSeconds: Math.round(packed.samples / SAMPLE_RATE),
    }),
  )
} finally {
  files.close()
}

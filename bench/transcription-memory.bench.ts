/**
 * Peak memory for a 5-minute and a 3-hour two-channel call (8-kHz WAV, as Twilio sends). The app
 * process: decoding, speech detection and packing stream through files, so the long call should cost no
 * more than ~100 MB over the short one (issue 15). The engine: whisper.cpp holds the speech of one request
 * (at most half an hour, see MAX_REQUEST_SAMPLES), measured by transcribing the call with the synthetic
 * model (a real model adds its own weights, the same for both lengths).
 */
import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeRecording } from '../src/main/transcription/audio'
import { audioFixture } from '../test/helpers/fixtures'
import { encodeWav } from '../test/helpers/wav'
import { syntheticModel } from '../test/helpers/models'
import { ROOT, runApp } from './transcription/app-process'

/** A two-channel 8-kHz WAV of `minutes`, written a repetition at a time (never whole in memory). */
async function writeLongCall(path: string, minutes: number): Promise<void> {
  const decoded = await decodeRecording(
    new Uint8Array(readFileSync(audioFixture('plumbing-en-dual.mp3'))),
    'mp3',
    null,
  )
  const down = decoded.channels.map((channel) => channel.filter((_, i) => i % 2 === 0))
  const one = encodeWav(down, 8000).subarray(44) // interleaved 16-bit frames of one repetition
  const total = minutes * 60 * 8000 * 4
  const header = encodeWav([new Float32Array(0), new Float32Array(0)], 8000)
  header.writeUInt32LE(36 + total, 4)
  header.writeUInt32LE(total, 40)
  const fd = openSync(path, 'w')
  try {
    writeSync(fd, header)
    for (let written = 0; written < total; written += one.length)
      writeSync(fd, one.subarray(0, Math.min(one.length, total - written)))
  } finally {
    closeSync(fd)
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'callscribe-bench-'))
  const model = syntheticModel()
  const results: Record<string, unknown> = {}
  try {
    for (const minutes of [5, 180]) {
      const wav = join(dir, `call-${minutes}.wav`)
      await writeLongCall(wav, minutes)
      const output = execFileSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'bench/transcription/prepare-once.ts'), wav, dir],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      )
      const [transcribed] = runApp({ model, audio: wav, language: 'en', threads: 2, workDir: dir, runs: 1 })
      results[`${minutes}min`] = {
        ...(JSON.parse(output.trim().split('\n').at(-1) as string) as object),
        // The whole app side while transcribing (the worker thread, the engine's output, the transcript).
        transcribingProcessPeakMb: transcribed?.nodePeakMb,
        enginePeakMb: transcribed?.enginePeakMb,
        engineRequests: transcribed?.engineRequests,
      }
      console.info(minutes, results[`${minutes}min`])
      rmSync(wav, { force: true })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const short = (results['5min'] as { peakMb: number }).peakMb
  const long = (results['180min'] as { peakMb: number }).peakMb
  return { peakMb: results, appProcessLongOverShortMb: long - short }
}

/**
 * The app's transcription against whisper.cpp's own CLI, built from the same source with the same
 * options (scripts/build-whisper.mjs), on the same model, threads and audio, alternating runs in this
 * process and taking medians. Greedy decoding without temperature fallback on both sides, so both do the
 * same work. The model has random weights (const, 100 tokens per window): speed only, never accuracy.
 *
 * Reports: throughput ratios CLI time / engine time on the same samples, and CLI time / the app's whole
 * pipeline on the MP3 (goal >= 0.9), MP3 decode share of the app's time
 * (goal <= 2 %), peak memory (engine process and the Node process), and the main thread's event-loop
 * delay p99 during transcription (goal < 20 ms).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { decodeRecording } from '../src/main/transcription/audio'
import { Transcriber } from '../src/main/transcription/transcriber'
import { WhisperEngine } from '../src/main/transcription/engine'
import { audioFixture } from '../test/helpers/fixtures'
import { ENGINE, WHISPER_CLI, realModel, syntheticModel } from '../test/helpers/models'
import { timeAsync } from './stats'
import { encodeWav } from '../test/helpers/wav'

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3)
const THREADS = 2
const FILE = 'plumbing-en.mp3'

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits

function enginePeakMb(): number | null {
  try {
    const pid = execFileSync('pgrep', ['-f', 'callscribe-whisper --model']).toString().trim().split('\n')[0]
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1])
    return Number.isFinite(kb) ? round(kb / 1024, 0) : null
  } catch {
    return null
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const model = realModel() ?? syntheticModel()
  const dir = mkdtempSync(join(tmpdir(), 'callscribe-bench-'))
  const mp3 = readFileSync(audioFixture(FILE))
  const [decoded, coldDecodeMs] = await timeAsync(() => decodeRecording(new Uint8Array(mp3), 'mp3', null))
  // The worker keeps its decoder, so every job after the first decodes warm.
  const [, decodeMs] = await timeAsync(() => decodeRecording(new Uint8Array(mp3), 'mp3', null))
  const pcmPath = join(dir, 'call.pcm')
  const samples = decoded.channels[0]!
  writeFileSync(pcmPath, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength))
  const wavPath = join(dir, 'call.wav')
  writeFileSync(wavPath, encodeWav(decoded.channels[0]!, 16000))

  const cliTimes: number[] = []
  const cliPeaks: number[] = []
  const appTimes: number[] = []
  const engineTimes: number[] = []
  const engineWarmTimes: number[] = []
  const delays: number[] = []
  let engineMb: number | null = null
  for (let run = 0; run < RUNS; run++) {
    const cliArgs = [
      '-m',
      model,
      '-f',
      wavPath,
      '-t',
      String(THREADS),
      '-l',
      'en',
      '-bs',
      '1',
      '-bo',
      '1',
      '-nf',
      '-mc',
      '0',
      '-np',
    ]
    const [stderr, cliMs] = await timeAsync(
      async () =>
        spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', WHISPER_CLI, ...cliArgs], { encoding: 'utf8' }).stderr,
    )
    cliTimes.push(cliMs)
    const peak = Number(/maxrss=(\d+)/.exec(stderr)?.[1])
    if (Number.isFinite(peak)) cliPeaks.push(peak / 1024)

    // Cold, like the CLI: a new worker thread, engine process and model load for each run.
    const transcriber = new Transcriber({
      enginePath: ENGINE,
      workDir: join(dir, 'work'),
      idleUnloadMs: 60_000,
    })
    const histogram = monitorEventLoopDelay({ resolution: 5 })
    histogram.enable()
    const [, appMs] = await timeAsync(() =>
      transcriber.transcribe({
        audioPath: audioFixture(FILE),
        format: 'mp3',
        expectedDurationSec: null,
        speakers: ['caller', 'staff'],
        language: 'en',
        threads: THREADS,
        beamSize: 1,
        fallback: false,
        modelPath: model,
        modelName: 'bench',
      }),
    )
    histogram.disable()
    delays.push(histogram.percentile(99) / 1e6)
    appTimes.push(appMs)
    engineMb = enginePeakMb() ?? engineMb
    await transcriber.close()

    // The engine alone on exactly the CLI's samples (no speech detection): the like-for-like numbers,
    // cold (start, load, warm-up pass, run, quit — like one CLI run) and warm (model already loaded, as the
    // app runs from its second job on).
    const [engine, loadMs] = await timeAsync(() => WhisperEngine.start(ENGINE, model))
    const job = { pcmPath, language: 'en', threads: THREADS, beamSize: 1, fallback: false }
    const [, warmMs] = await timeAsync(() => engine.run({ id: `bench-${run}`, ...job }, () => undefined))
    await engine.quit()
    const engineMs = loadMs + warmMs
    engineWarmTimes.push(warmMs)
    engineTimes.push(engineMs)
  }
  rmSync(dir, { recursive: true, force: true })
  const cli = median(cliTimes)
  const app = median(appTimes)
  const engineOnly = median(engineTimes)
  const engineWarm = median(engineWarmTimes)
  return {
    model: model.split('/').at(-1),
    audio: `${FILE} (${round(decoded.durationSec, 1)} s, mono)`,
    threads: THREADS,
    runs: RUNS,
    cliSeconds: round(cli / 1000),
    appSeconds: round(app / 1000),
    engineSecondsSameSamples: { cold: round(engineOnly / 1000), warm: round(engineWarm / 1000) },
    throughputRatioEngineVsCli: { cold: round(cli / engineOnly), warm: round(cli / engineWarm) },
    throughputRatioAppVsCli: round(cli / app),
    realtimeFactorApp: round((decoded.durationSec * 1000) / app, 1),
    mp3DecodeMs: { cold: round(coldDecodeMs, 1), warm: round(decodeMs, 1) },
    mp3DecodeShare: `${round((decodeMs / app) * 100, 2)} %`,
    peakMemoryMb: {
      cli: round(median(cliPeaks), 0),
      appEngine: engineMb,
      appNode: round(process.resourceUsage().maxRSS / 1024, 0),
    },
    eventLoopDelayP99Ms: round(median(delays), 1),
    allRunsSeconds: {
      cli: cliTimes.map((t) => round(t / 1000)),
      engine: engineTimes.map((t) => round(t / 1000)),
      app: appTimes.map((t) => round(t / 1000)),
    },
  }
}

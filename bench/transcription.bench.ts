/**
 * The app's transcription against whisper.cpp's own CLI, built from the same source and options
 * (scripts/build-whisper.mjs), on the same model and threads, in CPU time (wall time means nothing on a
 * loaded machine). A matrix of calls the project generates from its fixtures — 2, 5 and 10 minutes, mono
 * and two-channel (as Twilio sends with RequestedChannels=2), English and Hebrew — each cell one CLI run
 * and one app process (cold: engine start, model load, warm-up; then warm: the model already loaded).
 *
 * The model has random weights (const decoder, 100 tokens per 30-s window, an English call's rate):
 * speed only, never accuracy. Greedy decoding without temperature fallback on both sides.
 *
 * Reports per cell CLI CPU ÷ app CPU (goal >= 1.0 everywhere), the engine's requests (whisper_full calls),
 * and per length the peak memory of the CLI, the engine and the app's Node process.
 * BENCH_MINUTES=2,5 limits the lengths; BENCH_RUNS (default 1) repeats each cell and takes medians.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeRecording } from '../src/main/transcription/audio'
import { probeEngine } from '../src/main/transcription/engine'
import { cpuVariantsFor } from '../src/main/transcription/engine-variants'
import { audioFixture } from '../test/helpers/fixtures'
import { ENGINE, WHISPER_CLI, realModel, syntheticModel } from '../test/helpers/models'
import { encodeWav } from '../test/helpers/wav'
import { ROOT, runApp, type AppRun } from './transcription/app-process'

const CALLS = join(ROOT, '.cache/bench/calls')
const THREADS = 2
const RUNS = Number(process.env['BENCH_RUNS'] ?? 1)
const MINUTES = (process.env['BENCH_MINUTES'] ?? '2,5,10').split(',').map(Number)
const LANGUAGES = { en: 'plumbing-en', he: 'clinic-he' } as const

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits

function repeatTo(samples: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length)
  for (let at = 0; at < length; at += samples.length) out.set(samples.subarray(0, length - at), at)
  return out
}

/** Every other sample, averaged with its neighbour: the 8-kHz telephone audio Twilio records. */
function toTelephoneRate(samples: Float32Array): Float32Array {
  const out = new Float32Array(Math.floor(samples.length / 2))
  for (let i = 0; i < out.length; i++)
    out[i] = ((samples[2 * i] as number) + (samples[2 * i + 1] as number)) / 2
  return out
}

/**
 * A call of `minutes` made from a fixture: its audio repeated. The app gets an 8-kHz WAV (what Twilio
 * sends); the CLI, which only reads 16-kHz WAV, gets the same audio at 16 kHz (it mixes stereo to mono).
 */
export async function makeCall(language: keyof typeof LANGUAGES, channels: 1 | 2, minutes: number) {
  const name = `${language}-${channels === 2 ? 'dual' : 'mono'}-${minutes}min`
  const app = join(CALLS, `${name}-8k.wav`)
  const cli = join(CALLS, `${name}-16k.wav`)
  if (!existsSync(app) || !existsSync(cli)) {
    mkdirSync(CALLS, { recursive: true })
    const fixture = `${LANGUAGES[language]}${channels === 2 ? '-dual' : ''}.mp3`
    const decoded = await decodeRecording(new Uint8Array(readFileSync(audioFixture(fixture))), 'mp3', null)
    const tracks = decoded.channels.map((channel) => repeatTo(channel, minutes * 60 * 16_000))
    writeFileSync(cli, encodeWav(tracks, 16_000))
    writeFileSync(app, encodeWav(tracks.map(toTelephoneRate), 8000))
  }
  return { name, app, cli }
}

function runCli(model: string, wav: string, language: string): { cpuMs: number; peakMb: number } {
  const args = ['-m', model, '-f', wav, '-t', String(THREADS), '-l', language]
  const flags = ['-bs', '1', '-bo', '1', '-nf', '-mc', '0', '-np']
  const { stderr, status } = spawnSync(
    '/usr/bin/time',
    ['-f', 'cpu=%U+%S peak=%M', WHISPER_CLI, ...args, ...flags],
    {
      encoding: 'utf8',
    },
  )
  if (status !== 0) throw new Error(`whisper-cli failed: ${stderr.slice(-500)}`)
  const [, user, system] = /cpu=([\d.]+)\+([\d.]+)/.exec(stderr) ?? []
  return {
    cpuMs: (Number(user) + Number(system)) * 1000,
    peakMb: Number(/peak=(\d+)/.exec(stderr)?.[1]) / 1024,
  }
}

/**
 * What each release engine this machine can run costs against one tuned for this CPU, on the same call,
 * warm (scripts/build-whisper.mjs --cpu NAME): the baseline must run on any CPU of the architecture, the
 * variants on any CPU with their instruction sets; the app starts the fastest one a machine can run.
 * Native and variant runs alternate, BENCH_VARIANT_RUNS times (default 3); medians.
 */
export async function releaseAgainstNative(model: string, dir: string): Promise<Record<string, unknown>> {
  const call = (await makeCall('en', 2, Math.min(...MINUTES))).app
  const runnable = cpuVariantsFor(process.arch).filter((variant) =>
    variant.requires.every((name) => probeEngine(ENGINE)?.cpuSupports.includes(name)),
  )
  const engines = runnable.map((variant) => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-whisper.mjs'), '--cpu', variant.name], {
      stdio: 'ignore',
    })
    return { name: variant.name, path: join(ROOT, `native/build-${variant.name}/bin/callscribe-whisper`) }
  })
  const warmCpu = (engine?: string) => {
    const [, warm] = runApp({ model, audio: call, language: 'en', threads: THREADS, workDir: dir, engine })
    return (warm as AppRun).nodeCpuMs + (warm as AppRun).engineCpuMs
  }
  const native: number[] = []
  const byVariant = new Map<string, number[]>(engines.map(({ name }) => [name, []]))
  for (let run = 0; run < Number(process.env['BENCH_VARIANT_RUNS'] ?? 3); run++) {
    native.push(warmCpu())
    for (const { name, path } of engines) byVariant.get(name)?.push(warmCpu(path))
  }
  const result = {
    call: call.split('/').at(-1),
    nativeCpuSeconds: round(median(native) / 1000, 1),
    variantOverNative: Object.fromEntries(
      [...byVariant].map(([name, cpu]) => [name, round(median(cpu) / median(native))]),
    ),
  }
  console.info(JSON.stringify(result))
  return result
}

export async function run(): Promise<Record<string, unknown>> {
  const model = realModel() ?? syntheticModel()
  const dir = mkdtempSync(join(tmpdir(), 'callscribe-bench-'))
  const cells: Record<string, unknown>[] = []
  const memory: Record<string, { cli: number; engine: number; appNode: number }> = {}
  let release: Record<string, unknown> | null = null
  try {
    for (const minutes of MINUTES)
      for (const channels of [1, 2] as const)
        for (const language of Object.keys(LANGUAGES) as (keyof typeof LANGUAGES)[]) {
          const call = await makeCall(language, channels, minutes)
          const cli: number[] = []
          const cold: number[] = []
          const warm: number[] = []
          let last: AppRun[] = []
          let cliPeak = 0
          for (let run = 0; run < RUNS; run++) {
            const baseline = runCli(model, call.cli, language)
            cli.push(baseline.cpuMs)
            cliPeak = Math.max(cliPeak, baseline.peakMb)
            last = runApp({ model, audio: call.app, language, threads: THREADS, workDir: dir })
            const [first, second] = last as [AppRun, AppRun]
            cold.push(first.nodeCpuMs + first.engineCpuMs)
            warm.push(second.nodeCpuMs + second.engineCpuMs)
          }
          const [first] = last as [AppRun]
          const cell = {
            call: call.name,
            cliCpuSeconds: round(median(cli) / 1000, 1),
            appCpuSeconds: { cold: round(median(cold) / 1000, 1), warm: round(median(warm) / 1000, 1) },
            ratioCliOverApp: {
              cold: round(median(cli) / median(cold)),
              warm: round(median(cli) / median(warm)),
            },
            nodeShareOfApp: `${round((first.nodeCpuMs / (first.nodeCpuMs + first.engineCpuMs)) * 100, 1)} %`,
            engineRequests: first.engineRequests,
            eventLoopDelayP99Ms: first.eventLoopDelayP99Ms,
          }
          console.info(JSON.stringify(cell))
          cells.push(cell)
          const peak = (memory[`${minutes}min`] ??= { cli: 0, engine: 0, appNode: 0 })
          peak.cli = Math.max(peak.cli, Math.round(cliPeak))
          peak.engine = Math.max(peak.engine, ...last.map((r) => r.enginePeakMb))
          peak.appNode = Math.max(peak.appNode, ...last.map((r) => r.nodePeakMb))
        }
    release = await releaseAgainstNative(model, dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return {
    releaseAgainstNative: release,
    model: model.split('/').at(-1),
    threads: THREADS,
    runs: RUNS,
    cells,
    worstRatio: {
      cold: Math.min(...cells.map((c) => (c['ratioCliOverApp'] as { cold: number }).cold)),
      warm: Math.min(...cells.map((c) => (c['ratioCliOverApp'] as { warm: number }).warm)),
    },
    peakMemoryMbByLength: memory,
  }
}

/**
 * Running the app's transcription in a process of its own (./transcribe-once.ts) for the benchmarks, on
 * what the app ships: the bundled worker (built here if missing) and the engine.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ENGINE } from '../../test/helpers/models'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WORKER = join(ROOT, 'out/main/transcription-worker.mjs')
let built = false

/** One run's numbers, as transcribe-once prints them (the first run cold, later ones warm). */
export interface AppRun {
  warm: boolean
  nodeCpuMs: number
  engineCpuMs: number
  enginePeakMb: number
  nodePeakMb: number
  engineRequests: number
  eventLoopDelayP99Ms: number
}

/** Transcribes `audio` in a fresh process (twice unless told: cold, then warm) and returns every run. */
export function runApp(options: {
  model: string
  audio: string
  language: string
  threads: number
  workDir: string
  beamSize?: number
  fallbackPasses?: number
  /** Transcriptions in the process (default 2: cold, then warm). */
  runs?: number
  /** Another engine build (default: the development one, native/build). */
  engine?: string
}): AppRun[] {
  // Built once per benchmark run, so a changed source is never measured through a stale bundle.
  if (!built) {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
    built = true
  }
  const output = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'bench/transcription/transcribe-once.ts'),
      JSON.stringify({ worker: WORKER, runs: 2, ...options, engine: options.engine ?? ENGINE }),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 * 1024 * 1024 },
  )
  return output
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as AppRun)
}

/**
 * What each quality mode costs, in CPU time against "fast", on a call whose every window Whisper flags as
 * doubtful: the synthetic model's fixed decoder never passes whisper.cpp's quality thresholds, so every
 * window takes every fallback pass — the worst case a looping passage brings on a real model.
 * (Accuracy cannot be measured here: no real model.) Settings states these multiples.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { QUALITY } from '../src/main/transcription/job'
import { ENGINE, syntheticModel } from '../test/helpers/models'
import { makeCall } from './transcription.bench'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const WORKER = join(ROOT, 'out/main/transcription-worker.mjs')

export async function run(): Promise<Record<string, unknown>> {
  if (!existsSync(WORKER)) execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
  const call = await makeCall('en', 1, 2)
  const dir = mkdtempSync(join(tmpdir(), 'callscribe-bench-'))
  const cpuSeconds: Record<string, number> = {}
  try {
    for (const [mode, decoding] of Object.entries(QUALITY)) {
      const options = {
        engine: ENGINE,
        worker: WORKER,
        model: syntheticModel(),
        audio: call.app,
        language: 'en',
        threads: 2,
        runs: 2,
        workDir: dir,
        ...decoding,
      }
      const lines = execFileSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'bench/transcription/transcribe-once.ts'), JSON.stringify(options)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      )
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { warm: boolean; nodeCpuMs: number; engineCpuMs: number })
      const warm = lines.find((line) => line.warm)!
      cpuSeconds[mode] = Math.round((warm.nodeCpuMs + warm.engineCpuMs) / 100) / 10
      console.info(mode, cpuSeconds[mode])
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const fast = cpuSeconds['fast'] as number
  return {
    call: call.name,
    model: 'synthetic (every window flagged: the worst case)',
    cpuSeconds,
    costVsFast: Object.fromEntries(
      Object.entries(cpuSeconds).map(([mode, seconds]) => [mode, Math.round((seconds / fast) * 10) / 10]),
    ),
  }
}

/**
 * What each quality mode costs, in CPU time against "fast", on a call whose every window Whisper flags as
 * doubtful: the synthetic model's fixed decoder never passes whisper.cpp's quality thresholds, so every
 * window takes every fallback pass — the worst case a looping passage brings on a real model.
 * (Accuracy cannot be measured here: no real model.) Settings states these multiples.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { QUALITY } from '../src/main/transcription/job'
import { syntheticModel } from '../test/helpers/models'
import { makeCall } from './transcription.bench'
import { runApp } from './transcription/app-process'

export async function run(): Promise<Record<string, unknown>> {
  const call = await makeCall('en', 1, 2)
  const dir = mkdtempSync(join(tmpdir(), 'callscribe-bench-'))
  const cpuSeconds: Record<string, number> = {}
  try {
    for (const [mode, decoding] of Object.entries(QUALITY)) {
      const lines = runApp({
        model: syntheticModel(),
        audio: call.app,
        language: 'en',
        threads: 2,
        workDir: dir,
        ...decoding,
      })
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

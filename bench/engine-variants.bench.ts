/**
 * The release engines (one per CPU variant: scripts/build-whisper.mjs --release) against the build tuned
 * for this machine, on the 2-minute two-channel call, warm, in CPU time — the row `npm run bench
 * transcription` ends with, on its own (a few minutes instead of the whole matrix).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { realModel, syntheticModel } from '../test/helpers/models'
import { releaseAgainstNative } from './transcription.bench'

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'callscribe-bench-'))
  try {
    return await releaseAgainstNative(realModel() ?? syntheticModel(), dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FIXTURES_DIR, SHARED_DIR } from './fixtures'
import { sha256File, writeSyntheticModel } from './synthetic-model'

export const ENGINE = fileURLToPath(new URL('../../native/build/bin/callscribe-whisper', import.meta.url))
export const WHISPER_CLI = fileURLToPath(new URL('../../native/build/bin/whisper-cli', import.meta.url))
/** Made by the test setup, kept between runs (git-ignored). */
export const TEST_CACHE = fileURLToPath(new URL('../../.cache/test/', import.meta.url))

/**
 * A real Whisper model, where one has been supplied: `CALLSCRIBE_REAL_MODEL`, or a ggml-*.bin in
 * ../shared/models. None can be downloaded here, so the accuracy tests say they were skipped and why.
 */
export function realModel(): string | null {
  const named = process.env['CALLSCRIBE_REAL_MODEL']
  if (named) {
    if (!existsSync(named)) throw new Error(`CALLSCRIBE_REAL_MODEL names ${named}, which does not exist`)
    return named
  }
  const dir = join(SHARED_DIR, 'models')
  if (!existsSync(dir)) return null
  const file = readdirSync(dir).find((name) => /^ggml-.*\.bin$/.test(name))
  return file ? join(dir, file) : null
}

export const NO_REAL_MODEL =
  'no real Whisper model (set CALLSCRIBE_REAL_MODEL or put a ggml-*.bin in ../shared/models)'

/**
 * The synthetic models the suite builds from whisper.cpp's for-tests models, with the SHA-256 each must
 * have: the generator is deterministic, so a different hash means the generator (or its input) changed.
 */
const SYNTHETIC = {
  /** tiny-sized, f16, const decoder emitting 100 tokens per 30-s window (an English call's rate). */
  'const-ggml-tiny-P100.bin': {
    from: 'for-tests-ggml-tiny.bin',
    tokensPerWindow: 100,
    sha256: 'ff7f5ad0d9dd1af40961c9185c7ca47295061c121e4a6c27d7f95442f7fa847a',
  },
} as const

export type SyntheticModelName = keyof typeof SYNTHETIC

/**
 * A model with random weights (real format): for mechanics and speed, never accuracy. Built once into the
 * test cache (the global setup does it before any test runs) and checked against its known SHA-256.
 */
export function syntheticModel(name: SyntheticModelName = 'const-ggml-tiny-P100.bin'): string {
  const spec = SYNTHETIC[name]
  const path = join(TEST_CACHE, 'models', name)
  if (existsSync(path)) return path
  mkdirSync(join(TEST_CACHE, 'models'), { recursive: true })
  // Written beside and renamed, so a reader never sees half a model.
  const partial = `${path}.${process.pid}.partial`
  try {
    writeSyntheticModel(join(FIXTURES_DIR, 'models', spec.from), partial, {
      tokensPerWindow: spec.tokensPerWindow,
    })
    const actual = sha256File(partial)
    if (actual !== spec.sha256)
      throw new Error(`synthetic model ${name} has SHA-256 ${actual}, expected ${spec.sha256}`)
    renameSync(partial, path)
  } finally {
    rmSync(partial, { force: true })
  }
  return path
}

export function engineAvailable(): boolean {
  return existsSync(ENGINE)
}

import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SHARED_DIR } from './fixtures'

export const ENGINE = fileURLToPath(new URL('../../native/build/bin/callscribe-whisper', import.meta.url))
export const WHISPER_CLI = fileURLToPath(new URL('../../native/build/bin/whisper-cli', import.meta.url))
const CACHE = fileURLToPath(new URL('../../.cache/models', import.meta.url))

/** A real Whisper model from ../shared/models, if one has been put there (none can be downloaded here). */
export function realModel(): string | null {
  const dir = join(SHARED_DIR, 'models')
  if (!existsSync(dir)) return null
  const file = readdirSync(dir).find((name) => /^ggml-.*\.bin$/.test(name))
  return file ? join(dir, file) : null
}

/**
 * A model with random weights (real format): for mechanics and speed, never accuracy. The shared one if
 * present, else one generated with the shared generator (python3 + numpy).
 */
export function syntheticModel(): string {
  const shared = join(SHARED_DIR, 'models/synthetic/const-ggml-tiny-P100.bin')
  if (existsSync(shared)) return shared
  const generated = join(CACHE, 'const-ggml-tiny-P100.bin')
  if (!existsSync(generated)) {
    mkdirSync(CACHE, { recursive: true })
    const synthetic = join(SHARED_DIR, 'models/synthetic')
    execFileSync(
      'python3',
      [
        join(synthetic, 'make_synth_model.py'),
        join(synthetic, 'for-tests-ggml-tiny.bin'),
        generated,
        '0',
        '100',
      ],
      { stdio: 'inherit' },
    )
  }
  return generated
}

export function engineAvailable(): boolean {
  return existsSync(ENGINE)
}

import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { syntheticModel } from '../helpers/models'

/**
 * The engine computes whisper.cpp's log-mel spectrogram and signal energy with its own faster code
 * (native/whisper-engine/fast-mel.inc, fast-energy.inc). Whisper hears nothing but the spectrogram, so a
 * wrong one would garble every transcript while the synthetic model (whose decoder ignores the audio)
 * noticed nothing: the check program compares both against their definitions computed in double
 * precision, on ten seconds of voice-like tones, a whistle, noise bursts and near silence, through the mel
 * filters of a real model file (the synthetic model keeps the real filters).
 */
const MEL_CHECK = fileURLToPath(
  new URL(
    `../../native/build/bin/callscribe-mel-check${process.platform === 'win32' ? '.exe' : ''}`,
    import.meta.url,
  ),
)

describe("the engine's audio features", () => {
  it('equal whisper.cpp’s definitions up to float rounding', () => {
    const result = JSON.parse(execFileSync(MEL_CHECK, [syntheticModel()], { encoding: 'utf8' }).trim()) as {
      frames: number
      melMaxError: number
      energyMaxError: number
    }

    expect(result.frames).toBe(1002) // 10 s in 10-ms hops, with whisper.cpp's padding
    // log10 power: the encoder sees (value + 4) / 4, so 1e-3 is far below anything that changes a token.
    expect(result.melMaxError).toBeLessThan(1e-3)
    expect(result.energyMaxError).toBeLessThan(1e-5)
  })
})

import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { probeEngine } from '../../src/main/transcription/engine'
import {
  chooseVariant,
  cpuVariantsFor,
  fastestEngine,
  variantPath,
  type CpuVariant,
} from '../../src/main/transcription/engine-variants'
import { tempDir } from '../helpers/temp'

const ROOT = join(import.meta.dirname, '../..')
const DEVELOPMENT_ENGINE = join(ROOT, 'native/build/bin/callscribe-whisper')
const x64 = cpuVariantsFor('x64')
const HASWELL = ['SSE42', 'AVX', 'F16C', 'FMA', 'AVX2', 'BMI2']
const present = (): boolean => true
const name = (variant: CpuVariant | undefined): string | undefined => variant?.name

/** The instruction sets Linux says this CPU and kernel support, in the engine's spelling. */
function linuxCpuSupports(): string[] {
  const flags = new Set(
    /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/),
  )
  const spelling: Record<string, string> = {
    sse4_2: 'SSE42',
    avx: 'AVX',
    f16c: 'F16C',
    fma: 'FMA',
    avx2: 'AVX2',
    bmi2: 'BMI2',
    avx512f: 'AVX512',
  }
  return Object.entries(spelling)
    .filter(([flag]) => flags.has(flag))
    .map(([, engineName]) => engineName)
}

describe('the engine build a machine runs', () => {
  it('finds what this CPU supports at run time, as the operating system reports it', ({ skip }) => {
    skip(
      process.platform !== 'linux' || process.arch !== 'x64',
      '/proc/cpuinfo on x86-64 Linux is the reference',
    )
    expect(probeEngine(DEVELOPMENT_ENGINE)?.cpuSupports.sort()).toEqual(linuxCpuSupports().sort())
  })

  it('picks the fastest build whose every instruction set the machine has', () => {
    expect(name(chooseVariant(x64, HASWELL, present))).toBe('haswell')
    // No AVX-512 build: it measured no faster than the AVX2 one (npm run bench engine-variants).
    expect(name(chooseVariant(x64, [...HASWELL, 'AVX512'], present))).toBe('haswell')
    // AVX and F16C without AVX2 (Ivy Bridge, AMD Piledriver): F16C is what makes f16 models fast.
    expect(name(chooseVariant(x64, ['SSE42', 'AVX', 'F16C'], present))).toBe('ivybridge')
    // AVX2 without FMA (some VIA and Zhaoxin parts): the AVX2 build would stop on an illegal instruction.
    expect(name(chooseVariant(x64, ['SSE42', 'AVX', 'F16C', 'AVX2', 'BMI2'], present))).toBe('ivybridge')
    // Sandy Bridge (AVX, no F16C) and the Pentium / Celeron parts sold without AVX until 2020.
    expect(name(chooseVariant(x64, ['SSE42', 'AVX'], present))).toBe('sse42')
    expect(name(chooseVariant(x64, ['SSE42'], present))).toBe('sse42')
    // Anything older, or a machine whose support is unknown (the probe failed).
    expect(name(chooseVariant(x64, [], present))).toBe('baseline')
    // A variant not shipped beside the baseline (a partial install, or a development build) is skipped.
    expect(name(chooseVariant(x64, HASWELL, (variant) => variant.name !== 'haswell'))).toBe('ivybridge')
    expect(name(chooseVariant(x64, HASWELL, () => false))).toBeUndefined()
    // Apple silicon and other ARM machines have one build.
    expect(cpuVariantsFor('arm64').map((variant) => variant.name)).toEqual(['baseline'])
  })

  it('starts the variant shipped beside the baseline when the baseline finds the machine can run it', ({
    skip,
  }) => {
    const supports = probeEngine(DEVELOPMENT_ENGINE)?.cpuSupports ?? []
    skip(process.arch !== 'x64' || !HASWELL.every((set) => supports.includes(set)), 'needs an AVX2 machine')
    const release = tempDir()
    const baseline = join(release, 'callscribe-whisper')
    copyFileSync(DEVELOPMENT_ENGINE, baseline)
    expect(fastestEngine(baseline)).toBe(baseline)

    const haswell = variantPath(baseline, { name: 'haswell', requires: HASWELL })
    expect(haswell).toBe(join(release, 'callscribe-whisper-haswell'))
    copyFileSync(DEVELOPMENT_ENGINE, haswell)
    expect(fastestEngine(baseline)).toBe(haswell)
  })

  it('keeps a development engine (no variants beside it) and a missing engine as they are', () => {
    expect(fastestEngine(DEVELOPMENT_ENGINE)).toBe(DEVELOPMENT_ENGINE)
    const missing = join(tempDir(), 'callscribe-whisper')
    expect(fastestEngine(missing)).toBe(missing)
  })
})

import { existsSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import cpuVariants from '../../../native/whisper-engine/cpu-variants.json'
import { probeEngine } from './engine'

export interface CpuVariant {
  name: string
  /** Instruction sets the build uses, in the engine's `cpuSupports` spelling. */
  requires: string[]
}

/** The release builds of the engine for an architecture, slowest (the baseline, runs anywhere) first. */
export function cpuVariantsFor(arch: string): CpuVariant[] {
  return (cpuVariants as unknown as Record<string, CpuVariant[] | undefined>)[arch] ?? []
}

/** The file a variant ships as, beside the baseline engine (`callscribe-whisper-haswell` next to `callscribe-whisper`). */
export function variantPath(baselinePath: string, variant: CpuVariant): string {
  if (variant.name === 'baseline') return baselinePath
  const extension = extname(baselinePath)
  return join(dirname(baselinePath), `${basename(baselinePath, extension)}-${variant.name}${extension}`)
}

/**
 * The fastest variant whose instruction sets this machine has, among those `isPresent` (the baseline needs
 * none, so it is chosen when the machine's support is unknown); undefined when none is present.
 */
export function chooseVariant(
  variants: CpuVariant[],
  supports: readonly string[],
  isPresent: (variant: CpuVariant) => boolean,
): CpuVariant | undefined {
  return [...variants]
    .reverse()
    .find((variant) => variant.requires.every((name) => supports.includes(name)) && isPresent(variant))
}

/**
 * The engine to start: the release ships a baseline build that runs on any CPU of its architecture and
 * faster builds beside it (scripts/build-whisper.mjs --release); the baseline's probe says which of them
 * this machine can run. A development build (native/build, tuned for the machine) has no variants beside
 * it and is used as it is.
 */
export function fastestEngine(baselinePath: string): string {
  const supports = probeEngine(baselinePath)?.cpuSupports ?? []
  const chosen = chooseVariant(cpuVariantsFor(process.arch), supports, (variant) =>
    existsSync(variantPath(baselinePath, variant)),
  )
  return chosen ? variantPath(baselinePath, chosen) : baselinePath
}

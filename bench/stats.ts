/** Small helpers for benchmark numbers. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] ?? NaN
}

export function summarize(samples: number[]): { p50: number; p95: number; max: number; n: number } {
  const round = (ms: number) => Math.round(ms * 100) / 100
  return {
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    max: round(Math.max(...samples)),
    n: samples.length,
  }
}

export function time<T>(work: () => T): [T, number] {
  const start = performance.now()
  const value = work()
  return [value, performance.now() - start]
}

export async function timeAsync<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const value = await work()
  return [value, performance.now() - start]
}

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same library. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

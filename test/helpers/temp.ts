import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

const open = new Set<string>()

/**
 * A fresh temporary folder. Made inside a test (or its beforeEach), it is removed when that test has
 * finished, after its afterEach hooks; made at file level or in beforeAll, after the file's last afterAll
 * (test/setup.ts). Either way nothing stays in the temp directory.
 */
export function tempDir(prefix = 'callscribe-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  open.add(dir)
  try {
    onTestFinished(() => removeTempDir(dir))
  } catch {
    // Not inside a test: the file-level sweep removes it.
  }
  return dir
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  open.delete(dir)
}

/** Removes every folder still open (the per-file sweep in test/setup.ts). */
export function removeAllTempDirs(): void {
  for (const dir of [...open]) removeTempDir(dir)
}

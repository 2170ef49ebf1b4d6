import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

/** ../shared beside the checkout (CI has it there too). */
export const SHARED_DIR =
  process.env['CALLSCRIBE_SHARED_DIR'] ?? fileURLToPath(new URL('../../../shared/', import.meta.url))
export const AUDIO_FIXTURES = join(SHARED_DIR, 'fixtures/audio')

export function audioFixture(name: string): string {
  const path = join(AUDIO_FIXTURES, name)
  if (!existsSync(path)) throw new Error(`fixture ${path} is missing: is ../shared beside the checkout?`)
  return path
}

export interface ReferenceTranscript {
  language: string
  duration_s: number
  lines: { speaker: 'caller' | 'staff'; start: number; end: number; text: string }[]
}

/** A fixture call's reference transcript (NAME.json beside NAME.mp3). */
export function referenceTranscript(name: string): ReferenceTranscript {
  return JSON.parse(readFileSync(audioFixture(`${name}.json`), 'utf8')) as ReferenceTranscript
}

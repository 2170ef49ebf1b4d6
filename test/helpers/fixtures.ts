import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

/**
 * The repository's own test fixtures (test/fixtures): everything the suite needs is here, so a fresh
 * clone passes with nothing beside it. ../shared is an optional extra (a real Whisper model).
 */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url))
export const AUDIO_FIXTURES = join(FIXTURES_DIR, 'audio')
export const TWILIO_OPENAPI = join(FIXTURES_DIR, 'twilio/twilio_api_v2010.json')

/** ../shared beside the checkout, where there is one (CI has it; a clone from the forge does not). */
export const SHARED_DIR =
  process.env['CALLSCRIBE_SHARED_DIR'] ?? fileURLToPath(new URL('../../../shared/', import.meta.url))

export function audioFixture(name: string): string {
  const path = join(AUDIO_FIXTURES, name)
  if (!existsSync(path)) throw new Error(`fixture ${path} is missing (see test/fixtures/README.md)`)
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

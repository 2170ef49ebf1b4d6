import { chmodSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The data folder holds call audio, transcripts and the library: readable by this user only. Folders
 * are made (or tightened to) 0700 and the recordings already in them to 0600, which also mends folders
 * made by versions that used the default modes. A no-op on Windows, where the per-user profile folder
 * already keeps other users out.
 */
export function makePrivate(dataDir: string, recordingsDir: string): void {
  for (const folder of [dataDir, recordingsDir]) {
    mkdirSync(folder, { recursive: true, mode: 0o700 })
    if (process.platform !== 'win32') chmodSync(folder, 0o700)
  }
  if (process.platform === 'win32') return
  for (const entry of readdirSync(recordingsDir, { withFileTypes: true })) {
    if (entry.isFile()) chmodSync(join(recordingsDir, entry.name), 0o600)
  }
}

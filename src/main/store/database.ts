import Database from 'better-sqlite3'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export type Db = Database.Database

export interface Migration {
  version: number
  name: string
  sql: string
}

/**
 * Migrations live as numbered `.sql` files next to this module in source and are copied next to the
 * bundle at build time (see electron.vite.config.ts), so both resolve relative to this file.
 */
export function loadMigrations(dir = fileURLToPath(new URL('./migrations/', import.meta.url))): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .map((file) => ({
      version: Number.parseInt(file, 10),
      name: file,
      sql: readFileSync(`${dir}/${file}`, 'utf8'),
    }))
    .sort((a, b) => a.version - b.version)
}

/** Applies every pending migration in one transaction: a failure leaves the database exactly as it was. */
export function migrate(db: Db, migrations: Migration[]): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.at(-1)?.version ?? 0
  if (from > latest) {
    throw new Error(
      `This library was written by a newer CallScribe (schema ${from}, this version knows ${latest}). Update the app.`,
    )
  }
  const pending = migrations.filter((m) => m.version > from)
  db.transaction(() => {
    for (const migration of pending) {
      try {
        db.exec(migration.sql)
      } catch (error) {
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error })
      }
      db.pragma(`user_version = ${migration.version}`)
    }
  })()
  return { from, to: pending.at(-1)?.version ?? from }
}

export function openDatabase(file: string, migrations: Migration[] = loadMigrations()): Db {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    // NORMAL in WAL mode survives process crashes; only a power cut can lose the last commits, and every
    // write the pipeline makes is idempotent, so those are redone rather than corrupted.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, migrations)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type pg from 'pg'

// Beside this module when run from source (tests, benchmarks, the coming office server under tsx). A build
// that bundles it must copy these files apart from SQLite's out/main/migrations and pass their folder.
const MIGRATIONS = fileURLToPath(new URL('./migrations/', import.meta.url))

/**
 * Brings the office library's schema up to date: the numbered migrations not yet applied, each in its own
 * transaction, under an advisory lock so two machines starting at once do not both migrate.
 */
export async function migrateOfficeLibrary(pool: pg.Pool, folder = MIGRATIONS): Promise<number> {
  const client = await pool.connect()
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('callscribe.migrate'))`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    )
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    )
    let count = 0
    for (const file of readdirSync(folder)
      .filter((name) => /^\d+_.+\.sql$/.test(name))
      .sort()) {
      const version = Number(file.split('_')[0])
      if (applied.has(version)) continue
      await client.query('BEGIN')
      try {
        await client.query(readFileSync(join(folder, file), 'utf8'))
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version])
        await client.query('COMMIT')
        count++
      } catch (error) {
        await client.query('ROLLBACK')
        throw new Error(`office library migration ${file} failed: ${(error as Error).message}`)
      }
    }
    return count
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('callscribe.migrate'))`).catch(() => undefined)
    client.release()
  }
}

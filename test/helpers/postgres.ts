import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { Store } from '../../src/main/store'
import { PgLibrary } from '../../src/main/store/postgres'
import { openOfficePool } from '../../src/main/store/postgres/connection'
import { removeTempDir, tempDir } from './temp'

/** The folder holding PostgreSQL's server programs (initdb, pg_ctl), or null when there is none. */
export function postgresBinaries(): string | null {
  const configured = process.env['CALLSCRIBE_PG_BIN']
  if (configured) return existsSync(join(configured, 'initdb')) ? configured : null
  const debian = '/usr/lib/postgresql'
  if (!existsSync(debian)) return null
  const newest = readdirSync(debian)
    .filter((version) => existsSync(join(debian, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0]
  return newest ? join(debian, newest, 'bin') : null
}

export const NO_POSTGRES =
  'no PostgreSQL server programs (apt-get install postgresql, or set CALLSCRIBE_PG_BIN to their folder)'

export interface PostgresServer {
  /** A connection string for the `postgres` superuser over the server's own Unix socket. */
  url: string
  stop(): void
}

/**
 * A throwaway PostgreSQL server in a temporary folder: reachable only over a Unix socket in that folder
 * (no TCP port, so nothing else on the machine can connect), trust authentication, gone after stop().
 * As root it runs as the `postgres` user, since PostgreSQL refuses to run as root.
 */
export function startPostgres(): PostgresServer {
  const bin = postgresBinaries()
  if (!bin) throw new Error(NO_POSTGRES)
  const dir = tempDir('callscribe-pg-')
  const data = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }))
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))
    chownSync(dir, uid, gid)
  }
  const run = (program: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, program), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, program), args, { stdio: 'pipe' })
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'])
  const options = `-k ${dir} -c listen_addresses='' -c fsync=off -c max_connections=200`
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start'])
  return {
    url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        removeTempDir(dir)
      }
    },
  }
}

export interface BothLibraries {
  /** The desktop library (SQLite). */
  desktop: Store
  /** The office library (PostgreSQL), on `pool`. */
  office: PgLibrary
  pool: pg.Pool
}

/**
 * For the parity tests: a desktop library and an office library on a throwaway PostgreSQL, migrated and
 * filled by `seed` before the file's tests and removed after them. Its fields are set only where
 * PostgreSQL is available (the tests skip themselves otherwise).
 */
export function bothLibraries(seed: (libraries: BothLibraries) => Promise<void>): BothLibraries {
  const libraries = {} as BothLibraries
  let server: PostgresServer | undefined
  beforeAll(async () => {
    if (!postgresBinaries()) return
    server = startPostgres()
    libraries.pool = openOfficePool(server.url)
    libraries.desktop = Store.open(join(tempDir(), 'library.db'))
    libraries.office = await PgLibrary.open(libraries.pool)
    await seed(libraries)
  }, 120_000)
  afterAll(async () => {
    if (!server) return
    libraries.desktop.close()
    await libraries.office.close()
    server.stop()
  })
  return libraries
}

/** The same writes into both libraries, in the same order (the office's in one transaction). */
export async function writeBoth(
  { desktop, office: library }: BothLibraries,
  write: (desktop: Store) => unknown,
  office: (library: PgLibrary) => Promise<unknown>,
): Promise<void> {
  write(desktop)
  await library.transaction(() => office(library))
}

import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations, migrate, openDatabase } from '../../src/main/store/database'
import { tempDir } from '../helpers/temp'

describe('database migrations', () => {
  it('applies the numbered SQL files in order and records the schema version', () => {
    const migrations = loadMigrations()
    expect(migrations.map((m) => m.version)).toEqual(
      [...migrations.map((m) => m.version)].sort((a, b) => a - b),
    )
    const db = openDatabase(join(tempDir(), 'a.db'))
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()
    expect(tables).toEqual(
      expect.arrayContaining([
        'calls',
        'recordings',
        'transcripts',
        'segments',
        'summaries',
        'jobs',
        'settings',
        'sync_state',
        'search_index',
      ]),
    )
    db.close()
  })

  it('reopening an up-to-date database changes nothing', () => {
    const file = join(tempDir(), 'b.db')
    openDatabase(file).close()
    const db = new Database(file)
    const latest = loadMigrations().at(-1)?.version
    expect(migrate(db, loadMigrations())).toEqual({ from: latest, to: latest })
    db.close()
  })

  it('upgrades a library from an older version, keeping its data', () => {
    const file = join(tempDir(), 'old.db')
    const [first, ...later] = loadMigrations()
    const db = new Database(file)
    migrate(db, [first!])
    db.exec(`INSERT INTO calls (sid, from_number, to_number, direction, status, start_time, other_party, search_base, created_at, updated_at)
             VALUES ('CA1', '+1', '+2', 'inbound', 'completed', 1, '+1', 65536, 1, 1)`)
    db.exec(
      `INSERT INTO recordings (sid, call_id, twilio_status, date_created, updated_at) VALUES ('RE1', 1, 'completed', 1, 1)`,
    )
    db.exec(`INSERT INTO transcripts (recording_id, model, content_hash, created_at) VALUES (1, 'm', 'h', 1)`)
    db.exec(`INSERT INTO jobs (kind, subject, state, max_attempts, run_after, created_at, updated_at)
             VALUES ('download', 'RE1', 'queued', 5, 1, 1, 1), ('summarize', 'RE1', 'blocked', 5, 1, 1, 1)`)
    // Indexed text of the older version: two segments of the call (rowids in its search block).
    db.exec(`INSERT INTO search_index (rowid, body, variants, call_id, source, at_ms)
             VALUES (65536, 'the invoice came', '', 1, 'transcript', 0), (65537, 'the technician left', '', 1, 'transcript', 900)`)
    expect(migrate(db, [first!, ...later]).to).toBe(later.at(-1)?.version ?? first!.version)
    expect(db.prepare('SELECT sid FROM calls').pluck().all()).toEqual(['CA1'])
    expect(db.prepare('SELECT notes FROM transcripts').pluck().get()).toBe('[]')
    // Jobs queued by the older version keep running under their new kind names.
    expect(db.prepare('SELECT kind FROM jobs ORDER BY id').pluck().all()).toEqual([
      'recording-download',
      'recording-summary',
    ])
    // Its words are searchable by call (one row per call, holding both segments).
    expect(
      db
        .prepare(`SELECT rowid FROM search_calls WHERE search_calls MATCH 'invoice AND technician'`)
        .pluck()
        .all(),
    ).toEqual([65536])
    db.close()
  })

  it('leaves the database untouched when a later migration fails', () => {
    const file = join(tempDir(), 'c.db')
    const db = new Database(file)
    const migrations = [
      { version: 1, name: '001_ok.sql', sql: 'CREATE TABLE one (id INTEGER PRIMARY KEY);' },
      {
        version: 2,
        name: '002_broken.sql',
        sql: 'CREATE TABLE two (id INTEGER); INSERT INTO missing VALUES (1);',
      },
    ]
    expect(() => migrate(db, migrations)).toThrow(/002_broken\.sql failed: no such table: missing/)
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`).pluck().get()).toBe(0)
    db.close()
  })

  it('refuses a library written by a newer app version instead of damaging it', () => {
    const file = join(tempDir(), 'd.db')
    const db = new Database(file)
    db.pragma('user_version = 99')
    db.close()
    expect(() => openDatabase(file)).toThrow(/newer CallScribe \(schema 99/)
  })
})

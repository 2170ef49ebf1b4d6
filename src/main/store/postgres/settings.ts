import type pg from 'pg'
import type { LibrarySettings } from '../library'
import type { ObjectSettingKey, SyncState } from '../settings'
import {
  checkedSetting,
  patchedSetting,
  settingFromStored,
  type SettingKey,
  type SettingValue,
} from '../settings-schema'
import type { Sql } from './connection'

const CHANGED = 'callscribe_settings'

/**
 * The office's settings (PostgreSQL), read from memory: loaded at start and kept current by PostgreSQL's
 * notifications, so a change made elsewhere (the command line importing a model while the server runs)
 * counts at once. A write reaches the database before it returns.
 */
export class PgSettings implements LibrarySettings {
  private constructor(
    private readonly db: Sql,
    private readonly stored: Map<string, unknown>,
    private readonly listener: pg.PoolClient,
  ) {}

  static async load(db: Sql): Promise<PgSettings> {
    const listener = await db.pool.connect()
    await listener.query(`LISTEN ${CHANGED}`)
    const { rows } = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings')
    const settings = new PgSettings(db, new Map(rows.map((row) => [row.key, row.value])), listener)
    listener.on('notification', (message) => {
      if (message.channel === CHANGED && message.payload) void settings.reload(message.payload)
    })
    return settings
  }

  close(): void {
    this.listener.release()
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    return settingFromStored(key, this.stored.get(key))
  }

  async set<K extends SettingKey>(
    key: K,
    value: SettingValue<K>,
    now = Date.now(),
  ): Promise<SettingValue<K>> {
    const parsed = checkedSetting(key, value)
    await this.db.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [key, JSON.stringify(parsed), now],
    )
    await this.db.query('SELECT pg_notify($1, $2)', [CHANGED, key])
    this.stored.set(key, parsed)
    return parsed
  }

  update<K extends ObjectSettingKey>(key: K, patch: Partial<SettingValue<K>>): Promise<SettingValue<K>> {
    return this.set(key, this.patched(key, patch))
  }

  patched<K extends ObjectSettingKey>(key: K, patch: Partial<SettingValue<K>>): SettingValue<K> {
    return patchedSetting(this.get(key), patch)
  }

  private async reload(key: string): Promise<void> {
    const { rows } = await this.db
      .query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1', [key])
      .catch(() => ({ rows: [] }))
    if (rows[0]) this.stored.set(key, rows[0].value)
  }
}

/** Where each sync source got to (PostgreSQL): the twin of SyncStateRepository. */
export class PgSyncStateRepository {
  constructor(private readonly db: Sql) {}

  async get(source: string): Promise<SyncState> {
    const row = (
      await this.db.query<{ cursor: string | null; last_ok_at: number | null; last_error: string | null }>(
        'SELECT cursor, last_ok_at, last_error FROM sync_state WHERE source = $1',
        [source],
      )
    ).rows[0]
    return {
      cursor: row?.cursor ?? null,
      lastOkAt: row?.last_ok_at ?? null,
      lastError: row?.last_error ?? null,
    }
  }

  async set(source: string, state: SyncState, now = Date.now()): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_state (source, cursor, last_ok_at, last_error, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, last_ok_at = excluded.last_ok_at,
         last_error = excluded.last_error, updated_at = excluded.updated_at`,
      [source, state.cursor, state.lastOkAt, state.lastError, now],
    )
  }

  async clear(prefix: string): Promise<void> {
    await this.db.query(`DELETE FROM sync_state WHERE starts_with(source, $1)`, [prefix])
  }
}

import type { Db } from './database'
import {
  checkedSetting,
  patchedSetting,
  settingFromStored,
  type SettingKey,
  type SettingValue,
} from './settings-schema'

/**
 * The user's settings, one JSON value per key of `SETTINGS`, always read complete and valid. Secrets never
 * go here: they stay encrypted in main.
 */
export class SettingsRepository {
  private readonly read
  private readonly write

  constructor(db: Db) {
    this.read = db.prepare(`SELECT value FROM settings WHERE key = ?`)
    this.write = db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    const row = this.read.get(key) as { value: string } | undefined
    let stored: unknown
    try {
      stored = row ? JSON.parse(row.value) : undefined
    } catch {
      stored = undefined
    }
    return settingFromStored(key, stored)
  }

  /** Replaces a setting; a value that does not fit its schema is a programming error and throws. */
  set<K extends SettingKey>(key: K, value: SettingValue<K>, now = Date.now()): SettingValue<K> {
    const parsed = checkedSetting(key, value)
    this.write.run(key, JSON.stringify(parsed), now)
    return parsed
  }

  /** Changes some fields of an object setting and returns the whole new value. */
  update<K extends ObjectSettingKey>(
    key: K,
    patch: Partial<SettingValue<K>>,
    now = Date.now(),
  ): SettingValue<K> {
    return this.set(key, this.patched(key, patch), now)
  }

  /** What `update` would save (to check it first); a field given as undefined keeps its value. */
  patched<K extends ObjectSettingKey>(key: K, patch: Partial<SettingValue<K>>): SettingValue<K> {
    return patchedSetting(this.get(key), patch)
  }
}

export type ObjectSettingKey = {
  [K in SettingKey]: SettingValue<K> extends Record<string, unknown> ? K : never
}[SettingKey]

export interface SyncState {
  cursor: string | null
  lastOkAt: number | null
  lastError: string | null
}

/** Where each sync source got to, so a restart resumes instead of starting over. */
export class SyncStateRepository {
  private readonly read
  private readonly write

  constructor(private readonly db: Db) {
    this.read = db.prepare(`SELECT cursor, last_ok_at, last_error FROM sync_state WHERE source = ?`)
    this.write = db.prepare(
      `INSERT INTO sync_state (source, cursor, last_ok_at, last_error, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, last_ok_at = excluded.last_ok_at,
         last_error = excluded.last_error, updated_at = excluded.updated_at`,
    )
  }

  get(source: string): SyncState {
    const row = this.read.get(source) as
      | { cursor: string | null; last_ok_at: number | null; last_error: string | null }
      | undefined
    return {
      cursor: row?.cursor ?? null,
      lastOkAt: row?.last_ok_at ?? null,
      lastError: row?.last_error ?? null,
    }
  }

  set(source: string, state: SyncState, now = Date.now()): void {
    this.write.run(source, state.cursor, state.lastOkAt, state.lastError, now)
  }

  /** Forgets every source whose name starts with `prefix` (another account starts from scratch). */
  clear(prefix: string): void {
    this.db.prepare(`DELETE FROM sync_state WHERE source LIKE ? || '%'`).run(prefix)
  }
}

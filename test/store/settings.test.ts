import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store'
import { tempDir } from '../helpers/temp'

let store: Store | undefined
afterEach(() => store?.close())
const open = () => (store = Store.open(join(tempDir(), 'settings.db')))

describe('settings: one typed schema with defaults', () => {
  it('reads every setting complete before anything was saved', () => {
    const { settings } = open()
    expect(settings.get('twilio')).toEqual({
      pollIntervalSec: 60,
      format: 'mp3',
      deleteAfterDownload: false,
      firstSyncDays: 30,
    })
    expect(settings.get('workspace')).toBeNull()
    expect(settings.get('interface')).toEqual({ locale: null, onboarded: false })
    expect(settings.get('transcription').threads).toBeGreaterThanOrEqual(1)
  })

  it('an update changes only the fields it names', () => {
    const { settings } = open()
    settings.update('twilio', { format: 'wav' })
    settings.update('twilio', { pollIntervalSec: 120, firstSyncDays: undefined })
    expect(settings.get('twilio')).toMatchObject({ format: 'wav', pollIntervalSec: 120, firstSyncDays: 30 })
  })

  it('a stored value that no longer fits falls back field by field, keeping what still fits', () => {
    const opened = open()
    const write = opened.db.prepare(
      `INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, 0)`,
    )
    write.run('twilio', JSON.stringify({ format: 'ogg', pollIntervalSec: 300, extra: 1 }))
    write.run('summaries', '{not json')
    write.run('workspace', JSON.stringify('office'))
    expect(opened.settings.get('twilio')).toEqual({
      pollIntervalSec: 300,
      format: 'mp3',
      deleteAfterDownload: false,
      firstSyncDays: 30,
    })
    expect(opened.settings.get('summaries').provider).toBe('extractive')
    expect(opened.settings.get('workspace')).toBeNull()
  })

  it('refuses to save a value its schema rejects', () => {
    const { settings } = open()
    expect(() => settings.update('twilio', { pollIntervalSec: 1 })).toThrow()
    expect(settings.get('twilio').pollIntervalSec).toBe(60)
  })
})

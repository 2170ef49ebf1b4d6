import Database from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { WorkStatus } from '../../src/shared/types'
import { createTestServices, waitFor, dispatch } from '../helpers/services'
import { tempDir } from '../helpers/temp'

/** The error better-sqlite3 really throws when a write finds no space: made by a database that is full. */
function realDiskFullError(): Error {
  const db = new Database(':memory:')
  try {
    db.pragma('max_page_count = 2')
    db.exec('CREATE TABLE filler (x BLOB)')
    for (;;) db.prepare('INSERT INTO filler VALUES (?)').run(Buffer.alloc(4096))
  } catch (error) {
    return error as Error
  } finally {
    db.close()
  }
}

describe('the job runner on a full disk', () => {
  it('keeps the app running, pauses work and says why, and resumes by itself when space returns', async () => {
    const full = realDiskFullError()
    expect((full as { code?: string }).code).toBe('SQLITE_FULL')
    let handled = 0
    const { services } = createTestServices(tempDir(), {
      runner: { pausedRetryMs: 50 },
      jobHandlers: {
        'recording-summary': async () => {
          handled++
          return async () => undefined
        },
      },
    })
    const statuses: WorkStatus[] = []
    services.events.subscribe(
      (name, payload) => name === 'work.status' && statuses.push(payload as WorkStatus),
    )
    // The library cannot be written: every claim and every result fails as SQLite fails on a full disk.
    let diskFull = true
    const { claim, complete } = services.queue
    services.queue.claim = (...args) => {
      if (diskFull) throw full
      return claim.apply(services.queue, args)
    }
    services.queue.complete = (...args) => {
      if (diskFull) throw full
      return complete.apply(services.queue, args)
    }
    try {
      await services.start()
      const job = await services.queue.enqueue('recording-summary', 'RE0001')
      await waitFor(() => services.runner.paused === 'disk-full', 'the runner to pause')
      expect(await dispatch(services, 'work.status', {})).toEqual({
        ok: true,
        value: { paused: 'disk-full' },
      })
      expect(statuses).toEqual([{ paused: 'disk-full' }])
      expect(handled).toBe(0)
      expect((await services.queue.get(job.id))?.state).toBe('queued')

      diskFull = false
      await waitFor(
        async () => (await services.queue.get(job.id))?.state === 'done',
        'the job to run once space returned',
      )
      expect(handled).toBe(1)
      expect(services.runner.paused).toBeNull()
      expect(statuses).toEqual([{ paused: 'disk-full' }, { paused: null }])
    } finally {
      await services.close()
    }
  })

  it('gives a job whose result cannot be written back to the queue without using an attempt', async () => {
    const full = realDiskFullError()
    let handled = 0
    let failNextCommit = true
    const { services } = createTestServices(tempDir(), {
      runner: { pausedRetryMs: 50 },
      jobHandlers: { 'recording-summary': async () => (handled++, async () => undefined) },
    })
    const { complete } = services.queue
    services.queue.complete = (...args) => {
      if (failNextCommit) {
        failNextCommit = false
        throw full
      }
      return complete.apply(services.queue, args)
    }
    try {
      await services.start()
      const job = await services.queue.enqueue('recording-summary', 'RE0002', { maxAttempts: 1 })
      await waitFor(
        async () => (await services.queue.get(job.id))?.state === 'done',
        'the job to finish after the retry',
      )
      expect(handled).toBe(2)
      expect((await services.queue.get(job.id))?.state).toBe('done')
    } finally {
      await services.close()
    }
  })
})

describe('the library on a real full disk', () => {
  const mounted: string[] = []
  afterEach(async () => {
    for (const dir of mounted.splice(0)) execFileSync('umount', ['-l', dir])
  })

  it('pauses work when SQLite finds no space, says so, and resumes once space is freed', async ({ skip }) => {
    skip(
      process.platform !== 'linux' || process.getuid?.() !== 0,
      'mounting a small tmpfs needs root on Linux',
    )
    const dataDir = tempDir()
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dataDir])
    mounted.push(dataDir)
    let handled = 0
    const { services } = createTestServices(dataDir, {
      runner: { pausedRetryMs: 50 },
      jobHandlers: { 'recording-summary': async () => (handled++, async () => undefined) },
    })
    try {
      const job = await services.queue.enqueue('recording-summary', 'RE0003')
      // Fill the disk: the next write to the library's journal finds no space.
      const filler = join(dataDir, 'filler')
      const fd = openSync(filler, 'w')
      try {
        for (;;) writeSync(fd, Buffer.alloc(64 * 1024))
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
      } finally {
        closeSync(fd)
      }
      await services.start()
      await waitFor(() => services.runner.paused === 'disk-full', 'the runner to pause on SQLITE_FULL')
      expect(handled).toBe(0)

      unlinkSync(filler)
      await waitFor(
        async () => (await services.queue.get(job.id))?.state === 'done',
        'the job once space was freed',
      )
      expect(handled).toBe(1)
      expect(services.runner.paused).toBeNull()
    } finally {
      await services.close()
    }
  })
})

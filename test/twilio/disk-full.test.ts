import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TwilioEmulator } from '../../src/main/twilio/emulator/server'
import { CREDENTIALS, seedFixtures, startEmulator } from '../helpers/twilio'
import { createTestServices, waitFor, dispatch, storeOf } from '../helpers/services'
import { tempDir } from '../helpers/temp'

/** A real full disk: a tiny tmpfs under the recordings folder (needs root, as CI and this machine run). */
function canMount(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0
}

const mounts: string[] = []
afterEach(async () => {
  for (const dir of mounts.splice(0)) execFileSync('umount', ['-l', dir])
})

describe('downloading onto a full disk', () => {
  it('leaves no half file marked ready, says why, and resumes once there is space', async ({ skip }) => {
    skip(!canMount(), 'mounting a small tmpfs needs root on Linux')
    const emulator: TwilioEmulator = await startEmulator()
    seedFixtures(emulator)
    const dataDir = tempDir()
    const recordingsDir = join(dataDir, 'recordings')
    mkdirSync(recordingsDir)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', recordingsDir])
    mounts.push(recordingsDir)

    const { services } = createTestServices(dataDir, { twilioApiOrigin: emulator.origin })
    try {
      await services.workspace.saveCredentials(CREDENTIALS)
      await services.start()
      await services.sync.pollNow()
      const big = [...emulator.recordings.values()].filter((r) => r.mp3 && r.mp3.length > 150_000)
      const settled = async (sid: string) => {
        const job = await services.queue.find('recording-download', sid)
        return (
          job?.state === 'done' || (job?.state === 'queued' && job.lastError?.code === 'download.disk-full')
        )
      }
      await waitFor(
        async () => (await Promise.all(big.map((r) => settled(r.sid)))).every(Boolean),
        'every large download to finish or hit the full disk',
      )
      for (const recording of big) {
        const row = storeOf(services).recordings.get(recording.sid)!
        if (row.availability !== 'ready') {
          expect(existsSync(join(recordingsDir, `${recording.sid}.mp3`))).toBe(false)
          expect(row.local_file).toBeNull()
        }
      }
      const full = (await services.queue.list()).find((job) => job.lastError?.code === 'download.disk-full')!
      expect(full.state).toBe('queued') // waiting to retry, not given up

      execFileSync('mount', ['-o', 'remount,size=4m', recordingsDir])
      for (const recording of big)
        await dispatch(services, 'recordings.prepare', { recordingSid: recording.sid })
      await waitFor(
        () => big.every((r) => storeOf(services).recordings.get(r.sid)?.availability === 'ready'),
        'downloads after space was freed',
      )
      for (const recording of big) {
        expect(readFileSync(join(recordingsDir, `${recording.sid}.mp3`)).equals(recording.mp3!)).toBe(true)
      }
    } finally {
      await services.close()
      await emulator.close()
    }
  })
})

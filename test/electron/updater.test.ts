import { afterEach, describe, expect, it, vi } from 'vitest'
import { startUpdates, type Updater } from '../../src/main/electron/updater'

const log = { info: () => undefined, warn: () => undefined, error: () => undefined }

function fakeUpdater() {
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    checks: 0,
    feeds: [] as unknown[],
    setFeedURL: (feed: unknown) => void updater.feeds.push(feed),
  } as Updater & { checks: number; feeds: unknown[]; setFeedURL(feed: unknown): void }
  updater.checkForUpdates = async () => void updater.checks++
  return updater
}

afterEach(() => vi.useRealTimers())

describe('updates', () => {
  it('stay off without a feed built into the package, whatever the environment says', () => {
    vi.stubEnv('CALLSCRIBE_UPDATE_URL', 'https://attacker.example/')
    const updater = fakeUpdater()
    startUpdates({ updater, configuredFeed: false, transcriptionRunning: () => false, log })
    expect(updater.checks).toBe(0)
    expect(updater.feeds).toEqual([])
    vi.unstubAllEnvs()
  })

  it('check at start and every few hours, but not while a transcription runs', () => {
    vi.useFakeTimers()
    const updater = fakeUpdater()
    let transcribing = false
    const stop = startUpdates({
      updater,
      configuredFeed: true,
      transcriptionRunning: () => transcribing,
      log,
      intervalMs: 1000,
    })
    expect(updater.checks).toBe(1)
    transcribing = true
    vi.advanceTimersByTime(1000)
    expect(updater.checks).toBe(1)
    transcribing = false
    vi.advanceTimersByTime(1000)
    expect(updater.checks).toBe(2)
    stop()
    vi.advanceTimersByTime(5000)
    expect(updater.checks).toBe(2)
  })
})

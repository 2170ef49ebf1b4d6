import { afterEach, describe, expect, it, vi } from 'vitest'
import { startUpdates, type Updater } from '../../src/main/electron/updater'

const log = { info: () => undefined, warn: () => undefined, error: () => undefined }

function fakeUpdater() {
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    checks: 0,
    feeds: [] as unknown[],
  } as Updater & { checks: number; feeds: unknown[] }
  updater.checkForUpdates = async () => void updater.checks++
  updater.setFeedURL = (feed) => void updater.feeds.push(feed)
  return updater
}

afterEach(() => vi.useRealTimers())

describe('updates', () => {
  it('stay off without a feed', () => {
    const updater = fakeUpdater()
    startUpdates({ updater, configuredFeed: false, transcriptionRunning: () => false, log })
    expect(updater.checks).toBe(0)
  })

  it('check at start and every few hours, but not while a transcription runs', () => {
    vi.useFakeTimers()
    const updater = fakeUpdater()
    let transcribing = false
    const stop = startUpdates({
      updater,
      configuredFeed: false,
      feedUrl: 'https://updates.example/',
      transcriptionRunning: () => transcribing,
      log,
      intervalMs: 1000,
    })
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example/' }])
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

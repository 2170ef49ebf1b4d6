import type { Logger } from '../secrets/redact'

/** The part of electron-updater's autoUpdater this app uses. */
export interface Updater {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  checkForUpdates(): Promise<unknown>
  setFeedURL?(options: { provider: 'generic'; url: string }): void
}

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60_000

/**
 * Updates: off unless a feed is configured (at build time through electron-builder's `publish`, or with
 * CALLSCRIBE_UPDATE_URL). Checks at start and every few hours, downloads in the background, and installs
 * only when the user quits — after the running jobs were stopped — so never during a transcription.
 * A check is skipped while a transcription runs, to leave it the CPU. Returns a stop function.
 */
export function startUpdates(options: {
  updater: Updater
  configuredFeed: boolean
  feedUrl?: string | undefined
  transcriptionRunning: () => boolean
  log: Logger
  intervalMs?: number
}): () => void {
  const { updater, log } = options
  if (!options.configuredFeed && !options.feedUrl) {
    log.info('Updates are off: no update feed is configured')
    return () => undefined
  }
  if (options.feedUrl) updater.setFeedURL?.({ provider: 'generic', url: options.feedUrl })
  updater.autoDownload = true
  updater.autoInstallOnAppQuit = true
  const check = () => {
    if (options.transcriptionRunning()) return
    updater.checkForUpdates().catch((error: Error) => log.warn(`Update check failed: ${error.message}`))
  }
  check()
  const timer = setInterval(check, options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS)
  timer.unref?.()
  return () => clearInterval(timer)
}

import type { Logger } from '../secrets/redact'

/** The part of electron-updater's autoUpdater this app uses. */
export interface Updater {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  checkForUpdates(): Promise<unknown>
}

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60_000

/**
 * Updates: off unless a feed was configured at build time (electron-builder's `publish`, from
 * CALLSCRIBE_UPDATE_URL on the build machine, written into the signed package as app-update.yml). The
 * running app never takes a feed from its environment: whoever can set a variable must not be able to
 * point the app at their own installers. Checks at start and every few hours, downloads in the background, and installs
 * only when the user quits — after the running jobs were stopped — so never during a transcription.
 * A check is skipped while a transcription runs, to leave it the CPU. Returns a stop function.
 */
export function startUpdates(options: {
  updater: Updater
  configuredFeed: boolean
  transcriptionRunning: () => boolean
  log: Logger
  intervalMs?: number
}): () => void {
  const { updater, log } = options
  if (!options.configuredFeed) {
    log.info('Updates are off: no update feed is configured')
    return () => undefined
  }
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

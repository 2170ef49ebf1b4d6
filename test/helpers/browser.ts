import { chromium, type Browser, type Locator } from 'playwright-core'
import { existsSync } from 'node:fs'

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** Debian's Chromium, headless, with everything that would reach the network turned off. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install chromium (see .ci/run)`)
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  })
}

/** Plays an <audio> element (muted) for a while and says how far its clock moved, in seconds. */
export function secondsPlayed(audio: Locator, forMs: number): Promise<number> {
  type Audio = { muted: boolean; currentTime: number; play(): Promise<void>; pause(): void }
  return audio.evaluate(async (node, ms: number) => {
    const element = node as unknown as Audio
    element.muted = true
    await element.play()
    const start = element.currentTime
    await new Promise((resolve) => setTimeout(resolve, ms))
    element.pause()
    return element.currentTime - start
  }, forMs)
}

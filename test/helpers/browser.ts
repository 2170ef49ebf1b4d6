import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'

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

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * axe-core's accessibility violations on the page as it is now, one line each (rule, impact, where).
 * Injected through the debugger protocol, so the app's strict CSP stays on.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE)
  // A string runs in the page as it is (this file is also type-checked without the DOM's types).
  return page.evaluate(`axe.run(document).then((result) => result.violations.map((violation) =>
    violation.id + ' (' + violation.impact + '): ' + violation.nodes.map((node) => node.target.join(' ')).join(', ')))`)
}

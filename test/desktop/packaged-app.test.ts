import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'

/**
 * The packaged app, launched for real with Playwright's Electron support: the smoke test the platform
 * workflow (.github/workflows/platforms.yml) runs on macOS, Windows and Linux after packaging. Point
 * CALLSCRIBE_PACKAGED_APP at the app's executable (dist/linux-unpacked/callscribe,
 * dist/mac-arm64/CallScribe.app/Contents/MacOS/CallScribe, dist/win-unpacked/CallScribe.exe).
 */
const APP = process.env['CALLSCRIBE_PACKAGED_APP']

describe('the packaged desktop app', () => {
  it('starts, opens its window on the app scheme, and lists the sample calls', async ({ skip }) => {
    skip(!APP, 'no Electron: no Electron binary can run on this machine (set CALLSCRIBE_PACKAGED_APP)')
    const app = await electron.launch({
      executablePath: APP!,
      env: { ...process.env, CALLSCRIBE_DATA_DIR: tempDir('callscribe-packaged-') },
      timeout: 60_000,
    })
    try {
      const window = await app.firstWindow()
      await window.waitForLoadState('domcontentloaded')
      expect(window.url()).toMatch(/^callscribe:\/\/app\//)
      expect(await window.title()).toBe('CallScribe')
      // The sandboxed page reaches main only through the contract: no Node in the renderer.
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      )
      await window.getByRole('button', { name: 'Try with sample calls' }).click()
      await window.getByRole('button', { name: 'Continue' }).click()
      // The library (the Electron build of better-sqlite3) and the sync work: the sample calls appear.
      await expect.poll(() => window.locator('button.row').count(), { timeout: 60_000 }).toBeGreaterThan(3)
    } finally {
      await app.close()
    }
  }, 180_000)
})

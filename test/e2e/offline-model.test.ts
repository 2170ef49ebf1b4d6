import { once } from 'node:events'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../src/host/server'
import { launchChromium } from '../helpers/browser'
import { dispatch } from '../helpers/services'
import { syntheticModel } from '../helpers/models'
import { tempDir } from '../helpers/temp'

const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url))

let host: RunningHost
let browser: Browser

beforeAll(async () => {
  // An office PC without internet: nothing answers where the models are (a port just freed).
  const closed = createServer().listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const { port } = closed.address() as AddressInfo
  await new Promise((resolve) => closed.close(resolve))
  host = await startHost({
    dataDir: tempDir('callscribe-offline-'),
    rendererDir: RENDERER,
    modelUrl: (entry) => `http://127.0.0.1:${port}/${entry.file}`,
  })
  await dispatch(host.services, 'workspace.startDemo', {})
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
})

describe('the model step on a computer that cannot download', () => {
  it('says why the download does not get through and when it tries again, and imports a file instead', async () => {
    for (const [locale, width, texts] of [
      ['en', 1280, { retrying: /could not be downloaded yet: Could not reach the server.*Trying again at/ }],
      ['he', 800, { retrying: /עדיין לא ניתן להוריד את המודל: \u2068אין גישה לשרת.*ננסה שוב בשעה/ }],
    ] as const) {
      await dispatch(host.services, 'preferences.update', { locale, onboarded: false })
      const page = await browser.newPage({ viewport: { width, height: 800 } })
      try {
        await page.goto(host.url)
        await page.locator('#setup-title').waitFor()
        const download = page.getByRole('button', { name: locale === 'en' ? 'Download it' : 'להוריד אותו' })
        if (await download.count()) await download.first().click()
        // Not a silent "Downloading 0 %": the reason, in the user's language, where the user is.
        await expect
          .poll(() => page.locator('.first-run [role="status"]').first().textContent(), { timeout: 20_000 })
          .toMatch(texts.retrying)
      } finally {
        await page.close()
      }
    }

    // The same step offers an import: a browser cannot tell where a picked file is, so it asks for a path.
    await dispatch(host.services, 'preferences.update', { locale: 'en', onboarded: false })
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    try {
      await page.goto(host.url)
      await page.locator('#setup-title').waitFor()
      const path = page.getByRole('textbox', { name: 'Path of a .bin model file' })
      await path.fill('/no/such/model.bin')
      await page.getByRole('button', { name: 'Import' }).click()
      await expect.poll(() => page.locator('.first-run [role="alert"]').textContent()).toMatch(/no file at/i)
      await path.fill(syntheticModel())
      await page.getByRole('button', { name: 'Import' }).click()
      await expect
        .poll(() => page.locator('.first-run [role="status"]').first().textContent())
        .toMatch(/is installed/)
    } finally {
      await page.close()
    }
  })
})

import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../src/host/server'
import { launchChromium } from '../helpers/browser'
import { dispatch } from '../helpers/services'
import { tempDir } from '../helpers/temp'

const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url))
const dataDir = tempDir('callscribe-connection-')

let host: RunningHost | undefined
let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
})

const alert = () => page.getByRole('alert').filter({ hasText: /CallScribe/ })

describe('the browser host going away and coming back', () => {
  it('says the page is disconnected, reconnects by itself, and says when a link has expired', async () => {
    host = await startHost({ dataDir, rendererDir: RENDERER })
    await dispatch(host.services, 'workspace.startDemo', {})
    await dispatch(host.services, 'preferences.update', { onboarded: true, locale: 'en' })
    const { token } = host
    const port = Number(new URL(host.origin).port)
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(host.url)
    await page.getByRole('region', { name: 'Calls' }).waitFor()

    // The host stops (closed, crashed, the laptop slept): the page says so instead of going quiet.
    await host.close()
    host = undefined
    await expect
      .poll(() => alert().textContent(), { timeout: 15_000 })
      .toBe('Disconnected from CallScribe; trying to reconnect…')

    // It comes back on the same address: the page reconnects and works again, with no reload.
    host = await startHost({ dataDir, rendererDir: RENDERER, port, token })
    await expect.poll(() => alert().count(), { timeout: 20_000 }).toBe(0)
    await page.getByRole('button', { name: 'Activity' }).click()
    await page.getByRole('heading', { name: 'Activity' }).waitFor()

    // A restart with a new token (the default) makes this page's link stale: it says what to do.
    await host.close()
    host = await startHost({ dataDir, rendererDir: RENDERER, port })
    await expect
      .poll(() => alert().textContent(), { timeout: 20_000 })
      .toMatch(/This link is no longer valid/)
    await page.close()
  })
})

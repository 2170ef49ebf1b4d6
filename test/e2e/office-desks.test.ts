import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../src/host/server'
import type { Services } from '../../src/main/services'
import type { RunningOfficeServer } from '../../src/server/office-server'
import { audioFixture } from '../helpers/fixtures'
import { accessibilityViolations, launchChromium, secondsPlayed } from '../helpers/browser'
import { makeRecordingReadyIn, seedCallInto, sid, transcriptOf } from '../helpers/seed'
import { postgresBinaries, startPostgres } from '../helpers/postgres'
import { tempDir } from '../helpers/temp'
import { startTestOffice } from '../helpers/office'
import { dispatch } from '../helpers/services'

const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url))
const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url))

let server: RunningOfficeServer
const desks: { host: RunningHost; page: Page }[] = []
let browser: Browser

/** The office's calls, written into the running server's library (whichever engine it has). */
async function seedOfficeLibrary(services: Services): Promise<void> {
  const { library } = services
  await library.settings.set('workspace', 'twilio')
  await seedCallInto(library, 'office-boiler', {
    from: '+14155550123',
    startTime: Date.UTC(2026, 10, 24, 15, 30),
    transcript: transcriptOf([
      'The boiler on Maple Street is leaking again',
      'We will send a plumber tomorrow',
    ]),
  })
  await makeRecordingReadyIn(
    library,
    services.paths.recordings,
    sid('RE', 'office-boiler'),
    audioFixture('plumbing-en-dual.mp3'),
  )
  await seedCallInto(library, 'office-invoice', {
    from: '+972501112233',
    startTime: Date.UTC(2026, 10, 24, 11, 0),
    transcript: transcriptOf(['שלום, אני מתקשר לגבי החשבונית', 'נבדוק ונחזור אליך']),
  })
}

/** A new desk (its own browser host and library), joined through the first-run screen like a person would. */
async function joinDesk(person: string, role: 'admin' | 'staff'): Promise<{ host: RunningHost; page: Page }> {
  const host = await startHost({
    dataDir: tempDir('callscribe-desk-'),
    rendererDir: RENDERER,
    demoAudioDir: null,
  })
  const page = await browser.newPage()
  desks.push({ host, page })
  await page.goto(host.url)
  const { code, address } = await server.services.officeAccess!.invite(person, role)
  const join = page.getByRole('region', { name: 'Join your office' })
  await join.waitFor()
  expect(await accessibilityViolations(page), 'the first-run screen with Join your office').toEqual([])
  await join.getByRole('textbox', { name: 'Server address' }).fill(address)
  await join.getByRole('textbox', { name: 'Pairing code' }).fill(code.toLowerCase())
  await join.getByRole('button', { name: 'Connect to the office library' }).click()
  // The window starts over on the office's library.
  await page.getByRole('region', { name: 'Calls' }).getByText('+14155550123').waitFor({ timeout: 30_000 })
  return { host, page }
}

// The office's library as offices run it (PostgreSQL), where PostgreSQL's programs are installed.
const postgres = postgresBinaries() ? startPostgres() : null
const LIBRARY = postgres ? 'PostgreSQL' : 'SQLite: no PostgreSQL programs here'

beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'index.html')))
    throw new Error('Build the renderer first: npx electron-vite build')
  server = await startTestOffice(tempDir('callscribe-server-'), { postgres: postgres?.url })
  await seedOfficeLibrary(server.services)
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  for (const { host } of desks) await host.close()
  await server?.close()
  postgres?.stop()
})

describe(`two desks on one office server (library: ${LIBRARY}), in Chromium`, () => {
  it('a flag, an assignment and a note set at one desk appear at the other without reloading', async () => {
    const dana = await joinDesk('Dana', 'staff')
    const noa = await joinDesk('Noa', 'admin')
    const row = (page: Page) =>
      page.getByRole('region', { name: 'Calls' }).getByRole('button', { name: /\+14155550123/ })
    await row(dana.page).click()
    const detail = dana.page.getByRole('region', { name: 'Call detail' })
    const review = detail.getByRole('region', { name: 'Follow-up' })
    // Assigning offers the office's people.
    await expect
      .poll(() =>
        review
          .locator('datalist option')
          .evaluateAll((options) => options.map((o) => o.getAttribute('value'))),
      )
      .toEqual(expect.arrayContaining(['Dana', 'Noa']))
    await review.getByRole('checkbox', { name: 'Needs follow-up' }).check()
    await review.getByRole('combobox', { name: 'Assigned to' }).fill('Noa')
    await review.getByRole('combobox', { name: 'Assigned to' }).press('Enter')
    await review.getByRole('textbox', { name: 'Note' }).fill('The tenant asked for a morning visit')
    await review.getByRole('textbox', { name: 'Note' }).blur()
    await review.getByText('Last changed by Dana').waitFor()

    // Noa's list shows it live: follow-up, note and assignee chips on the row.
    await expect.poll(() => row(noa.page).textContent(), { timeout: 30_000 }).toMatch(/Follow up.*Note.*Noa/s)
    await row(noa.page).click()
    const seen = noa.page
      .getByRole('region', { name: 'Call detail' })
      .getByRole('region', { name: 'Follow-up' })
    await expect
      .poll(() => seen.getByRole('textbox', { name: 'Note' }).inputValue())
      .toBe('The tenant asked for a morning visit')
    expect(await seen.getByRole('checkbox', { name: 'Needs follow-up' }).isChecked()).toBe(true)
    await seen.getByText('Last changed by Dana').waitFor()

    // And back: Noa clears the flag, Dana's open call follows.
    await seen.getByRole('checkbox', { name: 'Needs follow-up' }).uncheck()
    await expect
      .poll(() => review.getByRole('checkbox', { name: 'Needs follow-up' }).isChecked(), { timeout: 30_000 })
      .toBe(false)
    await review.getByText('Last changed by Noa').waitFor()
    expect(await accessibilityViolations(dana.page), 'a call with its follow-up, at a desk').toEqual([])
    mkdirSync(ARTIFACTS, { recursive: true })
    await dana.page.screenshot({ path: join(ARTIFACTS, 'office-desk.png') })
  })

  it('search and playback work from both desks (the recording streams from the server)', async () => {
    for (const { page } of desks.slice(0, 2)) {
      // The note Dana wrote is found from either desk, and says where.
      await page.getByRole('searchbox', { name: 'Search calls' }).fill('morning visit')
      await page
        .getByRole('region', { name: 'Search results' })
        .getByRole('button', { name: /\+14155550123/ })
        .getByText('in the note')
        .waitFor()
      await page.getByRole('searchbox', { name: 'Search calls' }).fill('החשבונית')
      const results = page.getByRole('region', { name: 'Search results' })
      await results
        .getByRole('button', { name: /\+972501112233/ })
        .first()
        .waitFor()
      await page.getByRole('searchbox', { name: 'Search calls' }).fill('maple street')
      await results
        .getByRole('button', { name: /\+14155550123/ })
        .first()
        .click()
      const audio = page.getByRole('region', { name: 'Call detail' }).locator('audio')
      await audio.waitFor()
      expect(await secondsPlayed(audio, 1500)).toBeGreaterThan(0.5)
    }
  })

  it('a desk says when the server is away and comes back by itself when it returns', async () => {
    const [dana] = desks
    const { port } = server
    const dataDir = server.services.paths.dataDir
    await server.close()
    await dana!.page
      .getByRole('alert')
      .getByText('Cannot reach the office server')
      .waitFor({ timeout: 30_000 })
    // The same server again (its library and certificate kept): the desk reconnects with its session.
    server = await startTestOffice(dataDir, { listen: { host: '127.0.0.1', port }, postgres: postgres?.url })
    await expect
      .poll(() => dana!.page.getByRole('alert').filter({ hasText: 'office server' }).count(), {
        timeout: 30_000,
      })
      .toBe(0)
    // Events flow again: a note made at the office now shows on the desk.
    await dispatch(server.services, 'calls.review', { callSid: sid('CA', 'office-invoice'), note: 'שולם' })
    await dana!.page
      .getByRole('region', { name: 'Calls' })
      .getByRole('button', { name: /\+972501112233/ })
      .getByText('Note')
      .waitFor({ timeout: 30_000 })
  })

  it('staff see the office’s settings are the admin’s; an admin signs a desk out and that desk says so', async () => {
    const [dana, noa] = desks
    await dana!.page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Settings' })
      .click()
    await dana!.page.getByText('an administrator changes them').waitFor()
    // Offering this computer's idle CPU (no work waiting at the office: it waits).
    await dana!.page.getByRole('checkbox', { name: /Transcribe the office’s calls on this computer/ }).check()
    await dana!.page.getByText('Waiting for a call to transcribe.').waitFor()
    expect(await dana!.page.getByRole('region', { name: 'Summaries' }).count()).toBe(0)

    await noa!.page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Settings' })
      .click()
    const people = noa!.page.getByRole('region', { name: 'People' })
    noa!.page.on('dialog', (dialog) => void dialog.accept())
    const danaEntry = people.getByRole('listitem').filter({ hasText: 'Dana' })
    await danaEntry.getByRole('button', { name: 'Sign out' }).click()
    await dana!.page
      .getByRole('alert')
      .getByText('no longer accepts this computer')
      .waitFor({ timeout: 30_000 })

    // The office section and the people in Hebrew, right to left, at 800 px.
    await noa!.page.evaluate(() => window.callscribe.call['preferences.update']({ locale: 'he' }))
    await noa!.page.setViewportSize({ width: 800, height: 800 })
    await noa!.page.getByRole('region', { name: 'ספריית המשרד' }).getByText('מחובר ל-').waitFor()
    await noa!.page
      .getByRole('region', { name: 'אנשים' })
      .getByRole('button', { name: 'יצירת קוד צימוד' })
      .waitFor()
    await noa!.page.screenshot({ path: join(ARTIFACTS, 'office-people-he.png'), fullPage: true })
    expect(await accessibilityViolations(noa!.page), 'the office and its people, in Hebrew').toEqual([])
    await noa!.page.evaluate(() => window.callscribe.call['preferences.update']({ locale: 'en' }))
    await noa!.page.setViewportSize({ width: 1280, height: 720 })

    // Invite someone from the app: the code is shown once, with the address.
    await people.getByRole('textbox', { name: 'Name' }).fill('Yael')
    await people.getByRole('button', { name: 'Make a pairing code' }).click()
    await expect.poll(() => people.getByRole('status').textContent()).toMatch(/[0-9A-Z]{5}-[0-9A-Z]{5}/)
  })
  it('a person with nothing installed signs in from a browser and works there like at a desk', async () => {
    const noa = desks[1]!
    // A Hebrew-speaking browser, trusting the office's certificate (a real office gives its server one its
    // computers trust; this one is self-signed).
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'he-IL' })
    try {
      const page = await context.newPage()
      await page.setViewportSize({ width: 800, height: 800 })
      await page.goto(server.address)
      const signIn = page.getByRole('region', { name: 'כניסה לספריית המשרד' })
      await signIn.waitFor()
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl')
      await signIn.getByRole('textbox', { name: 'קוד צימוד' }).fill('AAAAA-BBBBB')
      await signIn.getByRole('button', { name: 'כניסה' }).click()
      await signIn.getByRole('alert').waitFor()
      expect(await signIn.getByRole('alert').textContent()).not.toMatch(/[A-Za-z]{3}/)
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: join(ARTIFACTS, 'office-browser-sign-in-he.png') })
      expect(await accessibilityViolations(page), 'the browser sign-in, in Hebrew').toEqual([])

      // This person reads English: the choice is this browser's own, and outlives signing in.
      await page.getByRole('combobox', { name: 'שפת הממשק' }).selectOption('en')
      const { code } = await server.services.officeAccess!.invite('Yael', 'staff')
      const english = page.getByRole('region', { name: 'Sign in to the office library' })
      await english.getByRole('textbox', { name: 'Pairing code' }).fill(code)
      await english.getByRole('button', { name: 'Sign in' }).click()
      const row = (at: Page) =>
        at.getByRole('region', { name: 'Calls' }).getByRole('button', { name: /\+14155550123/ })
      await row(page).waitFor({ timeout: 30_000 })
      // The session is the server's to know: the page's scripts cannot read it.
      expect(await page.evaluate(() => document.cookie)).toBe('')

      // A flag set in the browser shows at Noa's desk live, and the recording plays from the server.
      await row(page).click()
      const review = page
        .getByRole('region', { name: 'Call detail' })
        .getByRole('region', { name: 'Follow-up' })
      await review.getByRole('checkbox', { name: 'Needs follow-up' }).check()
      await review.getByText('Last changed by Yael').waitFor()
      const section = (at: Page, name: string) =>
        at.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click()
      await section(noa.page, 'Calls')
      await expect.poll(() => row(noa.page).textContent(), { timeout: 30_000 }).toMatch(/Follow up/)
      const audio = page.getByRole('region', { name: 'Call detail' }).locator('audio')
      expect(await secondsPlayed(audio, 1500)).toBeGreaterThan(0.5)
      await page.getByRole('searchbox', { name: 'Search calls' }).fill('maple street')
      await page
        .getByRole('region', { name: 'Search results' })
        .getByRole('button', { name: /\+14155550123/ })
        .first()
        .waitFor()
      await page.getByRole('searchbox', { name: 'Search calls' }).fill('')

      // Settings say who is signed in here; there is no other office to join from the office itself.
      await section(page, 'Settings')
      const office = page.getByRole('region', { name: 'Office library' })
      await office.getByText('Signed in to the office library as Yael (staff) in this browser.').waitFor()
      expect(await page.getByRole('button', { name: 'Connect to the office library' }).count()).toBe(0)
      expect(await accessibilityViolations(page), 'settings, in a browser signed in to the office').toEqual(
        [],
      )

      // The admin signs this browser out from their desk: the page asks for a code again, at once.
      await section(noa.page, 'Settings')
      const people = noa.page.getByRole('region', { name: 'People' })
      await people
        .getByRole('listitem')
        .filter({ hasText: 'Yael' })
        .getByRole('button', { name: 'Sign out' })
        .click()
      await english.waitFor({ timeout: 30_000 })

      // Signed in again, the person signs out themselves.
      const again = await server.services.officeAccess!.invite('Yael', 'staff')
      await english.getByRole('textbox', { name: 'Pairing code' }).fill(again.code)
      await english.getByRole('button', { name: 'Sign in' }).click()
      await row(page).waitFor({ timeout: 30_000 })
      page.on('dialog', (dialog) => void dialog.accept())
      await section(page, 'Settings')
      await office.getByRole('button', { name: 'Sign out of this browser' }).click()
      await english.waitFor({ timeout: 30_000 })
      expect(
        (await server.services.officeAccess!.people()).people.find((p) => p.name === 'Yael')?.sessions,
      ).toEqual([])
    } finally {
      await context.close()
    }
  })
})

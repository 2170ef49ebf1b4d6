import { dispatch, storeOf } from '../helpers/services'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../src/host/server'
import { accessibilityViolations, launchChromium, secondsPlayed } from '../helpers/browser'
import { syntheticModel } from '../helpers/models'
import { tempDir } from '../helpers/temp'

const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url))
const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url))

let host: RunningHost
let browser: Browser
let page: Page

beforeAll(async () => {
  host = await startHost({
    dataDir: tempDir('callscribe-demo-'),
    rendererDir: RENDERER,
    demoProcessingMs: 4000,
  })
  // Random-weight model: transcripts are meaningless words; the test checks the flow, not accuracy.
  await dispatch(host.services, 'models.import', { path: syntheticModel() })
  await dispatch(host.services, 'transcription.updateSettings', { quality: 'fast' })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  await page.goto(host.url)
  mkdirSync(ARTIFACTS, { recursive: true })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
})

const calls = () => page.getByRole('region', { name: 'Calls' })

/**
 * Every row of the call list, laid out: each state chip whole and inside its row, and the time, the number,
 * the duration and the chips without running over each other (on one line, or two in a narrow list).
 * Returns what does not fit.
 */
function rowLayoutProblems(): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = []
    const box = (element: Element | null) => element?.getBoundingClientRect()
    const overlap = (a: DOMRect, b: DOMRect) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5
    for (const row of document.querySelectorAll('button.row')) {
      const name = row.textContent?.slice(0, 40) ?? ''
      const rowBox = box(row)!
      const party = box(row.querySelector('.party'))!
      const duration = box(row.querySelector('.duration'))!
      const when = box(row.querySelector('.when'))!
      const chips = [...row.querySelectorAll('.chip')].map((chip) => chip.getBoundingClientRect())
      if (overlap(party, duration)) problems.push(`${name}: the number runs over the duration`)
      for (const chip of chips) {
        if (chip.width < 14) problems.push(`${name}: a chip is ${Math.round(chip.width)} px wide`)
        if (
          chip.left < rowBox.left - 0.5 ||
          chip.right > rowBox.right + 0.5 ||
          chip.top < rowBox.top - 0.5 ||
          chip.bottom > rowBox.bottom + 0.5
        )
          problems.push(`${name}: a chip is cut off`)
        if (overlap(chip, duration) || overlap(chip, party) || overlap(chip, when))
          problems.push(`${name}: a chip covers text`)
      }
    }
    return problems
  })
}
const detail = () => page.getByRole('region', { name: 'Call detail' })

describe('the demo workspace, end to end in Chromium', () => {
  it('first run offers the sample calls, and syncing lists them', async () => {
    await page.getByRole('heading', { name: 'Welcome to CallScribe' }).waitFor()
    await page.screenshot({ path: join(ARTIFACTS, 'first-run.png') })
    expect(await accessibilityViolations(page), 'first run').toEqual([])
    await page.getByRole('button', { name: 'Try with sample calls' }).click()
    // Second step: language, model (already installed here), summaries.
    await page.getByRole('heading', { name: 'Set up transcription' }).waitFor()
    await page.getByRole('status').filter({ hasText: 'is installed' }).waitFor()
    await page.screenshot({ path: join(ARTIFACTS, 'setup.png') })
    expect(await accessibilityViolations(page), 'setup').toEqual([])
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByText('Demo workspace').waitFor()
    await expect
      .poll(() => calls().getByRole('button').count(), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(7)
  })

  it('a call Twilio is still processing becomes playable by itself, without a request loop', async () => {
    await page.evaluate(() => {
      const counts: Record<string, number> = {}
      const call = window.callscribe.call as unknown as Record<string, (...args: unknown[]) => unknown>
      for (const name of Object.keys(call)) {
        const original = call[name]!
        call[name] = (...args: unknown[]) => {
          counts[name] = (counts[name] ?? 0) + 1
          return original(...args)
        }
      }
      ;(window as unknown as { requestCounts: Record<string, number> }).requestCounts = counts
    })
    const number = storeOf(host.services)
      .db.prepare(
        `SELECT c.from_number FROM calls c JOIN recordings r ON r.call_id = c.id WHERE r.twilio_status = 'processing'`,
      )
      .pluck()
      .get() as string
    await calls()
      .getByRole('button', { name: new RegExp(number.replace('+', '\\+')) })
      .click()
    await detail()
      .getByRole('status')
      .filter({ hasText: 'Twilio is still processing this recording' })
      .waitFor()
    const audio = detail().locator('audio')
    await audio.waitFor({ timeout: 45_000 })
    const counts = await page.evaluate(
      () => (window as unknown as { requestCounts: Record<string, number> }).requestCounts,
    )
    // Opening the call is one request; events do the rest (a fallback poll may add one or two).
    expect(counts['calls.get'] ?? 0).toBeLessThanOrEqual(3)
    expect(counts['recordings.prepare'] ?? 0).toBeLessThanOrEqual(1)
    const advanced = await secondsPlayed(audio, 1200)
    expect(advanced).toBeGreaterThan(0.5)
  })

  it('missing and failed recordings say why, and a failed one offers a retry', async () => {
    await calls()
      .getByRole('button', { name: /No recording/ })
      .first()
      .click()
    await expect.poll(() => detail().getByRole('status').first().textContent()).toMatch(/No recording/)
    const reasons: (string | null)[] = []
    for (const row of await calls()
      .getByRole('button', { name: /No recording/ })
      .all()) {
      await row.click()
      // The detail shows this call (not the one before) once its heading names the row's party.
      const party = (await row.locator('.party bdi, .party .party-unknown').first().textContent()) ?? ''
      await detail().getByRole('heading', { level: 2, name: party }).waitFor()
      reasons.push(await detail().getByRole('status').first().textContent())
      // No promise of a transcript that cannot come.
      await expect
        .poll(() => detail().getByText('No transcript: there is no recording of this call.').count())
        .toBe(1)
    }
    expect(reasons.join(' | ')).toMatch(/Twilio holds no audio for this recording \(error 13617\)/)
    expect(reasons.join(' | ')).toMatch(/No recording was made for this call/)
    await calls()
      .getByRole('button', { name: /Failed/ })
      .first()
      .click()
    const alert = detail().getByRole('alert')
    await expect
      .poll(() => alert.textContent())
      .toMatch(/Could not get the recording: Twilio sent a file that is not MP3 audio/)
    await expect.poll(() => alert.getByRole('button', { name: 'Retry' }).count()).toBe(1)
    // Retry really tries: the download runs again, and when the same bad file fails again the player says so.
    await alert.getByRole('button', { name: 'Retry' }).click()
    await expect
      .poll(() => alert.textContent(), { timeout: 20_000 })
      .toMatch(/Tried again at .*; it failed again\./)
    await expect
      .poll(() => detail().getByText('No transcript: the recording could not be downloaded.').count())
      .toBe(1)

    // A filter that matches nothing says so (not "No calls yet").
    const followUp = page
      .getByRole('group', { name: 'Filters' })
      .getByRole('checkbox', { name: 'Needs follow-up' })
    await followUp.check()
    await page.getByText('No calls match these filters.').waitFor()
    await followUp.uncheck()
  })

  it('transcribes the downloaded calls and finds them by search', async () => {
    await expect
      .poll(() => calls().getByText('Transcript').count(), { timeout: 90_000, interval: 1000 })
      .toBeGreaterThanOrEqual(1)
    await calls()
      .getByRole('button', { name: /Transcript/ })
      .first()
      .click()
    await expect
      .poll(() => detail().getByRole('region', { name: 'Transcript' }).locator('li').count())
      .toBeGreaterThan(0)
    await page.screenshot({ path: join(ARTIFACTS, 'demo-call.png') })
    const firstWord = (await detail()
      .getByRole('region', { name: 'Transcript' })
      .locator('li .text')
      .first()
      .textContent())!
      .trim()
      .split(/\s+/)[0]!
    await page.getByRole('searchbox', { name: 'Search calls' }).fill(firstWord)
    await expect
      .poll(() => page.getByRole('region', { name: 'Search results' }).locator('mark').count())
      .toBeGreaterThan(0)
    await page.getByRole('searchbox', { name: 'Search calls' }).fill('')
  })

  it('a transcript line and a summary citation each play from their moment, the cited line in view', async () => {
    const transcript = detail().getByRole('region', { name: 'Transcript' })
    const lines = transcript.locator('li')
    const last = lines.nth((await lines.count()) - 1)
    const label = (await last.getByRole('button').getAttribute('aria-label'))!
    await last.getByRole('button').click()
    const audio = detail().locator('audio')
    const [minutes, seconds] = label.replace('Play from ', '').split(':').map(Number)
    await expect
      .poll(() => audio.evaluate((element: HTMLAudioElement) => Math.floor(element.currentTime)))
      .toBe(minutes! * 60 + seconds!)
    await expect.poll(() => last.getAttribute('aria-current')).toBe('true')

    const summary = detail().getByRole('region', { name: 'Summary' })
    await summary.getByText('Extractive summary (made on this computer)').waitFor({ timeout: 30_000 })
    const chip = summary.getByRole('button', { name: /^Play the moment at / }).first()
    const target = (await chip.getAttribute('aria-label'))!
      .replace('Play the moment at ', '')
      .split(':')
      .map(Number)
    await chip.click()
    await expect
      .poll(() => audio.evaluate((element: HTMLAudioElement) => Math.floor(element.currentTime)))
      .toBeGreaterThanOrEqual(target[0]! * 60 + target[1]!)
    // It plays from there, and the cited line is brought into view.
    await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.paused)).toBe(false)
    const cited = transcript.locator('li[aria-current="true"]')
    const inView = () =>
      page.evaluate(() => {
        const pane = document.querySelector('.detail')!.getBoundingClientRect()
        const line = document.querySelector('.segments li[aria-current="true"]')?.getBoundingClientRect()
        return Boolean(line && line.top >= pane.top && line.bottom <= pane.bottom)
      })
    await cited.waitFor()
    await expect.poll(inView).toBe(true)
    // Scrolled to the end of the transcript (a short window makes it scroll), the player is still there.
    await page.setViewportSize({ width: 1280, height: 420 })
    expect(await page.evaluate(() => document.querySelector('.detail')!.scrollHeight > 500)).toBe(true)
    await page.evaluate(() => document.querySelector('.detail')!.scrollTo({ top: 1e6 }))
    const playerVisible = await page.evaluate(() => {
      const pane = document.querySelector('.detail')!.getBoundingClientRect()
      const player = document.querySelector('.detail .player')!.getBoundingClientRect()
      return player.top >= pane.top - 1 && player.bottom <= pane.bottom
    })
    expect(playerVisible).toBe(true)
    await page.setViewportSize({ width: 1280, height: 800 })
    await audio.evaluate((element: HTMLAudioElement) => element.pause())
  })

  it('works from the keyboard, exports the transcript, and shows the caller history', async () => {
    const audio = detail().locator('audio')
    await page.locator('body').click({ position: { x: 5, y: 780 } })
    const paused = () => audio.evaluate((element: HTMLAudioElement) => element.paused)
    await page.keyboard.press('Space')
    await expect.poll(paused).toBe(false)
    await page.keyboard.press('Space')
    await expect.poll(paused).toBe(true)
    // Start from the beginning, so a jump forward is not cut short by the end of the call.
    const before = await audio.evaluate((element: HTMLAudioElement) => (element.currentTime = 0))
    await page.keyboard.press('ArrowRight')
    await expect
      .poll(() => audio.evaluate((element: HTMLAudioElement) => element.currentTime))
      .toBeGreaterThan(before + 4)

    const selected = () => calls().locator('button[aria-current="true"]').textContent()
    const start = await selected()
    await page.keyboard.press('j')
    await expect.poll(selected).not.toBe(start)
    await page.keyboard.press('k')
    await expect.poll(selected).toBe(start)
    await page.keyboard.press('/')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Search calls')
    await page.locator('body').click({ position: { x: 5, y: 780 } })

    const download = page.waitForEvent('download')
    await detail()
      .getByRole('group', { name: 'Export transcript' })
      .getByRole('button', { name: 'SRT' })
      .click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^call-\d+-\d{4}-\d{2}-\d{2}\.srt$/)
    const text = await new Response(
      await file.createReadStream().then((s) => s as unknown as ReadableStream),
    ).text()
    expect(text).toMatch(/^1\n\d{2}:\d{2}:\d{2},\d{3} --> /)

    // +14155550123 called in and was called back: two calls with the same number.
    await calls()
      .getByRole('button', { name: /\+14155550123/ })
      .first()
      .click()
    await detail().getByRole('button', { name: 'Calls with this number (2)' }).click()
    expect(
      await detail().getByRole('list', { name: 'Calls with +14155550123' }).getByRole('button').count(),
    ).toBe(2)
  })

  it('lays every row out from 800 to 2560 px: all states visible, nothing running over', async () => {
    for (const width of [2560, 1280, 1024, 800]) {
      await page.setViewportSize({ width, height: 800 })
      await calls().getByRole('button').first().waitFor()
      expect(await rowLayoutProblems(), `${width} px`).toEqual([])
    }
    // The states are still named for screen readers when only their glyphs show.
    expect(
      await calls()
        .getByRole('button', { name: /Failed/ })
        .count(),
    ).toBeGreaterThan(0)
    await page.screenshot({ path: join(ARTIFACTS, 'calls-800.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  it('switches the interface to Hebrew, right to left', async () => {
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('combobox', { name: 'Interface language', exact: true }).selectOption('he')
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl')
    await page.getByRole('button', { name: 'שיחות' }).click()
    await calls()
      .or(page.getByRole('region', { name: 'שיחות' }))
      .first()
      .waitFor()
    await page.screenshot({ path: join(ARTIFACTS, 'hebrew-rtl.png') })
    const layout = await page.evaluate(() => {
      const list = document.querySelector('.call-list')!.getBoundingClientRect()
      const detailPane = document.querySelector('.detail')!.getBoundingClientRect()
      return { listRight: list.right, detailLeft: detailPane.left, width: window.innerWidth }
    })
    expect(layout.listRight).toBeGreaterThan(layout.width / 2) // the list sits on the right in RTL
    for (const width of [2560, 1280, 800]) {
      await page.setViewportSize({ width, height: 800 })
      expect(await rowLayoutProblems(), `Hebrew, ${width} px`).toEqual([])
    }
    await page.screenshot({ path: join(ARTIFACTS, 'hebrew-800.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  it('in Hebrew, everything the app says is Hebrew (names, numbers, addresses and brands aside)', async () => {
    // Assumes the previous test left the interface in Hebrew. Every call (ready, missing, failed: the
    // reasons come from main as codes), Activity and Settings are read; what people said (transcripts,
    // summaries, search text) and isolated values (numbers, names, paths: <bdi>) are theirs, not the app's.
    const latinWords = () =>
      page.evaluate(() => {
        const theirs =
          'bdi, [dir="auto"], [lang]:not([lang="he"]), input, textarea, code, script, style, [hidden]'
        const found: string[] = []
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement
          if (!parent || parent.closest(theirs) || parent.getClientRects().length === 0) continue
          found.push(...(node.textContent?.match(/[A-Za-z][\w.'-]*/g) ?? []))
        }
        for (const option of document.querySelectorAll('option'))
          if (!option.closest(theirs)) found.push(...(option.textContent?.match(/[A-Za-z][\w.'-]*/g) ?? []))
        return found
      })
    // Brands and products, the names their own screens use (Twilio's Console is in English), file
    // formats, units, and key caps.
    const allowed =
      /^([A-Z]|CallScribe|Twilio|OpenAI|Whisper|whisper\.cpp|llama\.cpp|ivrit\.ai|Ollama|LM|Studio|API|SID|Account|info|Console|auth|token|AC|SK|HTTP|IBAN|SHA-1|ggml|MP3|WAV|TXT|SRT|VTT|JSON|GB|MB|Large-v3-turbo|AVX|AVX2|AVX512|FMA|NEON|Metal)$/i
    const offenders = new Set<string>()
    const collect = async (where: string) => {
      for (const word of await latinWords()) if (!allowed.test(word)) offenders.add(`${where}: ${word}`)
    }
    const sections = page.getByRole('navigation').first().getByRole('button')
    await sections.nth(0).click()
    const rows = await page.locator('button.row').all()
    for (const [index, row] of rows.entries()) {
      await row.click()
      await page.locator('.detail h2').waitFor()
      await collect(`call ${index + 1}`)
    }
    await sections.nth(1).click()
    await page.getByRole('main').waitFor()
    await collect('Activity')
    // Activity by call: the failed download is under its caller, with main's reason in Hebrew, and the
    // transcription that cannot start without it says so.
    const withFailure = page.locator('.job-group').filter({ hasText: 'Twilio שלחה קובץ שאינו שמע' })
    await expect
      .poll(() => withFailure.getByText('לא יכול להתחיל: ההורדה נכשלה', { exact: false }).count())
      .toBeGreaterThan(0)
    await page.getByRole('checkbox', { name: 'רק מה שנכשל' }).check()
    const failedGroup = page.locator('.job-group').filter({ hasText: 'Twilio שלחה קובץ שאינו שמע' })
    await expect.poll(() => failedGroup.count()).toBe(1)
    expect(await failedGroup.locator('h3 bdi').textContent()).toMatch(/^\+\d/)
    await collect('Activity, failed only')
    await page.getByRole('checkbox', { name: 'רק מה שנכשל' }).uncheck()
    await sections.nth(2).click()
    await page.getByRole('main').waitFor()
    await collect('Settings')
    expect([...offenders]).toEqual([])
  })

  it('keeps the language and the finished setup in main: a fresh browser profile opens in Hebrew', async () => {
    // A new context shares no storage with the first, like a window after the host moved to a new port.
    const fresh = await browser.newContext({ locale: 'en-US' })
    try {
      const other = await fresh.newPage()
      await other.goto(host.url)
      await other.getByRole('region', { name: 'שיחות' }).waitFor()
      expect(await other.evaluate(() => document.documentElement.dir)).toBe('rtl')
      expect(await other.getByRole('heading', { name: 'Set up transcription' }).count()).toBe(0)
    } finally {
      await fresh.close()
    }
  })

  it('has no accessibility violations (axe-core) on any screen, in Hebrew and in English', async () => {
    const sections = page.getByRole('navigation').first().getByRole('button')
    for (const language of ['he', 'en'] as const) {
      await page.evaluate((locale) => window.callscribe.call['preferences.update']({ locale }), language)
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language)
      for (let view = 0; view < 3; view++) {
        await sections.nth(view).click()
        await page.getByRole('main').waitFor()
        if (view === 0) {
          await page.locator('button.row').first().click()
          await page.locator('.detail h2').waitFor()
        }
        expect(await accessibilityViolations(page), `${language}, view ${view}`).toEqual([])
      }
    }
  })
})

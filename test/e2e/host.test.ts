import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../src/host/server'
import { SummaryError } from '../../src/main/summaries/provider'
import { JobError } from '../../src/main/jobs/runner'
import { notice } from '../../src/shared/notice'
import { Store } from '../../src/main/store'
import { JobQueue, type ClaimedRow, type EnqueueOptions } from '../../src/main/jobs/queue'
import type { JobKind } from '../../src/shared/types'
import { audioFixture, referenceTranscript } from '../helpers/fixtures'
import { makeRecordingReady, seedCall, sid } from '../helpers/seed'
import { launchChromium, secondsPlayed } from '../helpers/browser'
import { tempDir } from '../helpers/temp'
import { storeOf } from '../helpers/services'
import { SqliteLibrary } from '../../src/main/store/sqlite-library'

const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url))
const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url))

let host: RunningHost
let browser: Browser
let page: Page
let failedJobId: number
let audioBytes: Buffer
const readyRecording = sid('RE', 'plumbing')

/** A call's duration and transcript from a fixture's reference text (its real words and times). */
function fromReference(name: string, twoChannel: boolean) {
  const reference = referenceTranscript(name)
  return {
    durationSec: Math.round(reference.duration_s),
    transcript: {
      language: 'en',
      model: 'reference',
      segments: reference.lines.map((line) => ({
        startMs: Math.round(line.start * 1000),
        endMs: Math.round(line.end * 1000),
        channel: twoChannel ? (line.speaker === 'caller' ? 0 : 1) : null,
        speaker: twoChannel ? (line.speaker === 'caller' ? 'Caller' : 'Staff') : null,
        text: line.text,
        confidence: null,
        flags: [],
      })),
    },
  }
}

async function seedLibrary(dataDir: string): Promise<void> {
  mkdirSync(join(dataDir, 'recordings'), { recursive: true })
  const store = Store.open(join(dataDir, 'callscribe.db'))
  store.settings.set('workspace', 'twilio')
  store.settings.set('interface', { locale: null, onboarded: true })
  seedCall(store, 'plumbing', {
    from: '+14155550123',
    startTime: Date.UTC(2026, 10, 24, 15, 30),
    ...fromReference('plumbing-en', true),
  })
  makeRecordingReady(store, join(dataDir, 'recordings'), readyRecording, audioFixture('plumbing-en-dual.mp3'))
  // A second playable call: search must not seek its audio when a hit opens the plumbing call.
  const { recordingSid: voicemailRecording } = seedCall(store, 'voicemail', {
    from: '+442071234567',
    startTime: Date.UTC(2026, 10, 24, 16, 0),
    ...fromReference('voicemail-en', false),
  })
  makeRecordingReady(
    store,
    join(dataDir, 'recordings'),
    voicemailRecording!,
    audioFixture('voicemail-en.mp3'),
  )
  seedCall(store, 'absent', {
    startTime: Date.UTC(2026, 10, 24, 14, 0),
    recording: { twilioStatus: 'absent', errorCode: 13617 },
  })
  const queue = new JobQueue(new SqliteLibrary(store))
  const job = await queue.enqueue('recording-summary', sid('RE', 'absent'), { maxAttempts: 1 })
  await queue.fail(
    (await queue.claim('recording-summary', 'earlier-run'))!,
    new Error('LLM server answered 500'),
  )
  failedJobId = job.id
  store.close()
}

beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'index.html')))
    throw new Error('Build the renderer first: npx electron-vite build')
  const dataDir = tempDir('callscribe-e2e-')
  await seedLibrary(dataDir)
  audioBytes = readFileSync(audioFixture('plumbing-en-dual.mp3'))
  host = await startHost({ dataDir, rendererDir: RENDERER })
  browser = await launchChromium()
  page = await browser.newPage()
  await page.goto(host.url)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
})

/** Runs `work` with the interface in `locale` at `width` px, then back to English at the suite's size. */
/** A job for the ready recording, claimed by the test in the same transaction (the host's runner never has it). */
function queuedAndClaimed(kind: JobKind, options: EnqueueOptions): Promise<ClaimedRow> {
  const { library, queue } = host.services
  return library.transaction(async () => {
    await queue.enqueue(kind, readyRecording, options)
    return (await queue.claim(kind, 'the-test'))!
  })
}

async function inView(locale: 'en' | 'he', width: number, work: () => Promise<void>): Promise<void> {
  await page.evaluate((chosen) => window.callscribe.call['preferences.update']({ locale: chosen }), locale)
  await page.setViewportSize({ width, height: 800 })
  try {
    await work()
  } finally {
    await page.evaluate(() => window.callscribe.call['preferences.update']({ locale: 'en' }))
    await page.setViewportSize({ width: 1280, height: 720 })
  }
}

describe('the app in Chromium through the browser host', () => {
  it('loads the app and lists the calls from the library', async () => {
    await page.getByRole('region', { name: 'Calls' }).getByText('+14155550123').waitFor()
    expect(
      await page.getByRole('region', { name: 'Calls' }).getByRole('button').count(),
    ).toBeGreaterThanOrEqual(2)
    const info = await page.evaluate(() => window.callscribe.call['app.info']())
    expect(info).toMatchObject({ ok: true, value: { name: 'CallScribe', transport: 'browser-host' } })
  })

  it('filters the call list by date', async () => {
    const list = page.getByRole('region', { name: 'Calls' })
    const from = list.getByLabel('From')
    await from.fill('2026-11-25')
    await list.getByText('No calls match these filters.').waitFor()
    await from.fill('2026-11-24')
    await expect.poll(() => list.getByRole('listitem').count()).toBe(3)
    await list.getByLabel('To').fill('2026-11-24')
    await expect.poll(() => list.getByRole('listitem').count()).toBe(3)
    await from.fill('')
    await list.getByLabel('To').fill('')
    await expect.poll(() => list.getByRole('listitem').count()).toBe(3)
  })

  it('round-trips a contract call and delivers the event it causes', async () => {
    const outcome = await page.evaluate(async (jobId) => {
      const event = new Promise((resolve) => {
        const off = window.callscribe.on('job.changed', (job) => {
          if (job.id === jobId) {
            off()
            resolve(job)
          }
        })
      })
      const result = await window.callscribe.call['jobs.retry']({ jobId })
      return { result, event: await event }
    }, failedJobId)
    expect(outcome.result).toMatchObject({ ok: true, value: { id: failedJobId, state: 'queued' } })
    expect(outcome.event).toMatchObject({ id: failedJobId, state: 'queued', lastError: null })
    // The event names the job's call, so Activity shows a job that appears later under its caller too.
    expect(outcome.event).toMatchObject({ call: { callSid: sid('CA', 'absent'), direction: 'inbound' } })
  })

  it('refuses an invalid argument with a clear error', async () => {
    const result = await page.evaluate(() =>
      window.callscribe.call['calls.get']({ callSid: '../etc/passwd' }),
    )
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid-argument',
        message: expect.stringContaining('callSid: must be a Twilio Call SID'),
      },
    })
  })

  it('serves media with byte ranges, only with the token, never outside the recordings', async () => {
    const media = await page.evaluate(async (recordingSid) => {
      const url = window.callscribe.mediaUrl(recordingSid)
      const ranged = await fetch(url, { headers: { Range: 'bytes=1000-1999' } })
      const bytes = Array.from(new Uint8Array(await ranged.arrayBuffer()))
      const traversal = await fetch(url.replace(recordingSid, '..%2F..%2Fcallscribe.db'))
      const tokenless = await fetch(url.split('?')[0] as string)
      return {
        status: ranged.status,
        range: ranged.headers.get('content-range'),
        bytes,
        traversal: traversal.status,
        tokenless: tokenless.status,
      }
    }, readyRecording)
    expect(media.status).toBe(206)
    expect(media.range).toBe(`bytes 1000-1999/${audioBytes.length}`)
    expect(Buffer.from(media.bytes).equals(audioBytes.subarray(1000, 2000))).toBe(true)
    expect(media.traversal).toBe(404)
    expect(media.tokenless).toBe(403)
  })

  it('refuses sockets from other origins or without the token', async () => {
    const attempt = (url: string, origin: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url, { origin })
        socket.on('open', () => (socket.close(), resolve('open')))
        socket.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
        socket.on('error', () => resolve('error'))
      })
    const ipc = `${host.origin.replace('http', 'ws')}/__callscribe/ipc`
    expect(await attempt(`${ipc}?token=${host.token}`, host.origin)).toBe('open')
    expect(await attempt(`${ipc}?token=${host.token}`, 'http://evil.example')).toBe('403')
    expect(await attempt(`${ipc}?token=wrong`, host.origin)).toBe('403')
  })

  it('opens a call: transcript, a playable recording, and a missing one that says why', async () => {
    const calls = page.getByRole('region', { name: 'Calls' })
    await calls.getByRole('button', { name: /\+14155550123/ }).click()
    const detail = page.getByRole('region', { name: 'Call detail' })
    await detail.getByText('Northside Plumbing', { exact: false }).first().waitFor()
    const audio = detail.locator('audio')
    await audio.waitFor()
    const advanced = await secondsPlayed(audio, 1500)
    expect(advanced).toBeGreaterThan(0.5)
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'call-detail.png') })

    await calls.getByRole('button', { name: /No recording/ }).click()
    await expect
      .poll(() => detail.getByRole('status').textContent())
      .toMatch(/No recording: Twilio holds no audio .*13617/)
  })

  it('has an icon, and a main landmark on every view', async () => {
    const icon = await fetch(`${host.origin}/favicon.png`)
    expect(icon.status).toBe(200)
    expect(icon.headers.get('content-type')).toMatch(/image\/png/)
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('./favicon.png')
    const sections = page.getByRole('navigation', { name: 'Sections' })
    for (const [button, landmarks] of [
      ['Activity', 1],
      ['Settings', 1],
      ['Calls', 1],
    ] as const) {
      await sections.getByRole('button', { name: button }).click()
      await expect.poll(() => page.getByRole('main').count()).toBe(landmarks)
    }
  })

  it.each([
    {
      locale: 'en',
      width: 1280,
      sections: 'Sections',
      settingsTab: 'Settings',
      interval: 'Check for new calls every (seconds)',
      name: 'Your name (labels the staff side of a call)',
      threads: 'Processor threads',
      problem: /Enter a whole number from 1 to \d+\./,
    },
    {
      locale: 'he',
      width: 800,
      sections: 'אזורים',
      settingsTab: 'הגדרות',
      interval: 'בדיקת שיחות חדשות כל (שניות)',
      name: 'השם שלך (מסמן את צד המשרד בשיחה)',
      threads: 'ליבות עיבוד',
      problem: /יש להזין מספר שלם בין \u20681\u2069 ל־\u2068\d+\u2069\./,
    },
  ] as const)(
    'settings keep what was typed: saved on Enter or leaving the field, checked, in the user’s language ($locale, $width px)',
    async (labels) => {
      await inView(labels.locale, labels.width, async () => {
        const sections = page.getByRole('navigation', { name: labels.sections })
        await sections.getByRole('button', { name: labels.settingsTab }).click()
        const { settings } = storeOf(host.services)
        const interval = page.getByRole('textbox', { name: labels.interval })
        const intervalBefore = settings.get('twilio').pollIntervalSec
        const typed = intervalBefore === 120 ? '240' : '120'
        await interval.fill('')
        await interval.pressSequentially(typed)
        expect(settings.get('twilio').pollIntervalSec).toBe(intervalBefore) // nothing saved half-typed
        await interval.press('Tab')
        await expect.poll(() => settings.get('twilio').pollIntervalSec).toBe(Number(typed))

        const name = page.getByRole('textbox', { name: labels.name })
        const staff = labels.locale === 'en' ? 'Emma Cohen' : 'אמה כהן'
        await name.fill('')
        await name.pressSequentially(staff)
        await name.press('Enter')
        await expect.poll(() => settings.get('transcription').staffName).toBe(staff)

        const threads = page.getByRole('textbox', { name: labels.threads })
        const before = settings.get('transcription').threads
        await threads.fill('0')
        await threads.press('Enter')
        const problem = page.getByRole('alert').filter({ hasText: labels.problem })
        await expect.poll(() => problem.count()).toBe(1)
        expect(settings.get('transcription').threads).toBe(before)
        await threads.press('Escape')
        expect(await threads.inputValue()).toBe(String(before))
        expect(await problem.count()).toBe(0)
      })
    },
  )

  it('a search hit opens its call at the matching moment, even while another call plays', async () => {
    const calls = page.getByRole('region', { name: 'Calls' })
    const detail = page.getByRole('region', { name: 'Call detail' })
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Calls' }).click()
    await calls.getByRole('button', { name: /\+442071234567/ }).click()
    await detail.locator('audio').waitFor()
    // A number as people write it finds its call.
    const search = page.getByRole('searchbox', { name: 'Search calls' })
    for (const typed of ['(415) 555-0123', '415-555-0123', '+1 415 555 0123']) {
      await search.fill(typed)
      await expect
        .poll(() => page.getByRole('region', { name: 'Search results' }).getByRole('button').count(), {
          timeout: 5000,
        })
        .toBeGreaterThan(0)
    }
    // "Maple Street" is said 30.35 s into the plumbing call: in English at 1280 px and Hebrew at 800 px.
    for (const view of [
      {
        locale: 'en',
        width: 1280,
        search: 'Search calls',
        results: 'Search results',
        calls: 'Calls',
        detail: 'Call detail',
      },
      {
        locale: 'he',
        width: 800,
        search: 'חיפוש שיחות',
        results: 'תוצאות חיפוש',
        calls: 'שיחות',
        detail: 'פרטי שיחה',
      },
    ] as const) {
      await inView(view.locale, view.width, async () => {
        const detailPane = page.getByRole('region', { name: view.detail })
        await page.getByRole('searchbox', { name: view.search }).fill('')
        await page
          .getByRole('region', { name: view.calls })
          .getByRole('button', { name: /\+442071234567/ })
          .click()
        await detailPane.locator('audio').waitFor()
        await page.getByRole('searchbox', { name: view.search }).fill('maple street')
        const results = page.getByRole('region', { name: view.results })
        await results.getByRole('button', { name: /Maple/ }).first().click()
        await detailPane.getByText('Northside Plumbing', { exact: false }).first().waitFor()
        const audio = detailPane.locator('audio')
        await expect
          .poll(() => audio.evaluate((element: HTMLAudioElement) => Math.round(element.currentTime)))
          .toBe(30)
      })
    }
  })

  it('keyboard: Space on a clicked call plays it, J/K move by physical key (a Hebrew layout too)', async () => {
    const calls = page.getByRole('region', { name: 'Calls' })
    const detail = page.getByRole('region', { name: 'Call detail' })
    await page.getByRole('searchbox', { name: 'Search calls' }).fill('')
    const plumbing = calls.getByRole('button', { name: /\+14155550123/ })
    await plumbing.click()
    const audio = detail.locator('audio')
    await audio.waitFor()
    const paused = () => audio.evaluate((element: HTMLAudioElement) => element.paused)
    await page.keyboard.press('Space')
    await expect.poll(paused).toBe(false)
    await page.keyboard.press('Space')
    await expect.poll(paused).toBe(true)
    // A Hebrew layout sends "ח" from the J key: the shortcut follows the key, not the letter.
    const selected = () => calls.locator('button.row[aria-current="true"]').textContent()
    const before = await selected()
    await page.evaluate(() =>
      (document.activeElement ?? document.body).dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ח', code: 'KeyJ', bubbles: true }),
      ),
    )
    await expect.poll(selected).not.toBe(before)
    // Focus followed the selection: Space now plays that call, it does not go back to the clicked one.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-current')))
      .toBe('true')
    await page.keyboard.press('Space')
    expect(await selected()).not.toBe(before)
  })

  it('at 800 px a row shows all seven states a call can have, whole, in English and Hebrew', async () => {
    const { library, queue } = host.services
    const recording = (await library.recordings.get(readyRecording))!
    const conversation = (await library.calls.conversationOf(recording.call_sid))!
    const transcript = (await library.transcripts.ofRecording(recording.id))!
    await library.summaries.save(transcript, 'row-test', {
      provider: 'extractive',
      model: 'local',
      summary: 'The boiler leaks.',
      intent: 'repair',
      sentiment: 'neutral',
      followUp: false,
      actionItems: [],
      keyPoints: [],
      topics: [],
    })
    const review = { followUp: true, note: 'Call the tenant back', assignee: 'Alexandra Rosenblum-Katz' }
    await library.reviews.change(conversation.id, review, null)
    const job = await queuedAndClaimed('recording-transcription', { force: true })
    try {
      await queue.progress(job, 0.4)
      await page.reload()
      for (const locale of ['en', 'he'] as const)
        await inView(locale, 800, async () => {
          const row = page.locator('.row').filter({ hasText: '4155550123' })
          // Work, recording, transcript, summary, follow-up, note, assignee.
          await expect.poll(() => row.locator('.chip').count()).toBe(7)
          const clipped = await row.evaluate((button) => {
            const box = button.getBoundingClientRect()
            return [...button.querySelectorAll('.chip')].filter((chip) => {
              const edge = chip.getBoundingClientRect()
              return edge.left < box.left || edge.right > box.right || edge.bottom > box.bottom
            }).length
          })
          expect(clipped, `chips cut off at 800 px (${locale})`).toBe(0)
        })
    } finally {
      await queue.release(job)
      await queue.cancel(job.id)
      await library.reviews.change(conversation.id, { followUp: null, note: '', assignee: null }, null)
      await library.summaries.forget(transcript.id, transcript.contentHash, 'row-test')
    }
  })

  it('the call and its row show what is being done to the recording, live', async () => {
    const calls = page.getByRole('region', { name: 'Calls' })
    const detail = page.getByRole('region', { name: 'Call detail' })
    await calls.getByRole('button', { name: /\+14155550123/ }).click()
    await detail.getByText('Northside Plumbing', { exact: false }).first().waitFor()
    // Claimed here in the same transaction, so the host's runner never gets it: nothing really runs.
    const { queue } = host.services
    const job = await queuedAndClaimed('recording-transcription', { force: true })
    try {
      await queue.progress(job, 0.42)
      await calls.getByRole('button', { name: /Transcribing 42%/ }).waitFor()
      await detail.getByText('Transcribing 42%').waitFor()
    } finally {
      await queue.release(job)
      await queue.cancel(job.id)
    }
    await expect.poll(() => detail.getByText(/Transcribing/).count()).toBe(0)

    // No model installed: the transcription waits, and the call says for what.
    const waiting = await queuedAndClaimed('recording-transcription', { force: true })
    try {
      await queue.fail(
        waiting,
        new JobError(notice('transcription.waiting-for-model'), { retryable: true, defer: true }),
        {
          retryable: true,
          defer: true,
          retryAfterMs: 3_600_000,
        },
      )
      await detail.getByText('Waiting for a Whisper model').waitFor()
      await calls.getByRole('button', { name: /Waiting for a Whisper model/ }).waitFor()
    } finally {
      await queue.cancel(waiting.id)
    }
  })

  it('a summary provider that fails shows on the call, with the reason and a retry, in English and Hebrew', async () => {
    const calls = page.getByRole('region', { name: 'Calls' })
    await calls.getByRole('button', { name: /\+14155550123/ }).click()
    // The office's summary server refused the key on the last attempt (the runner is beaten to the job).
    const { queue } = host.services
    const job = await queuedAndClaimed('recording-summary', { force: true, maxAttempts: 1 })
    await queue.fail(
      job,
      new SummaryError(notice('summary.key-rejected', { server: 'http://10.0.0.5:11434/v1' }), false),
      {
        retryable: false,
      },
    )
    const summary = page.getByRole('region', { name: 'Summary' })
    await expect
      .poll(() => summary.getByRole('alert').textContent())
      .toMatch(
        /The summary could not be made: The summary server \(http:\/\/10\.0\.0\.5:11434\/v1\) rejected the API key\./,
      )
    try {
      await inView('he', 800, async () => {
        await expect
          .poll(() => page.getByRole('region', { name: 'סיכום' }).getByRole('alert').textContent())
          .toMatch(
            /לא ניתן היה להכין סיכום: \u2068שרת הסיכומים .*http:\/\/10\.0\.0\.5:11434\/v1.* דחה את מפתח ה-API/,
          )
        await page.getByRole('region', { name: 'סיכום' }).getByRole('button', { name: 'ניסיון חוזר' }).click()
        await expect.poll(async () => (await queue.get(job.id))?.state).not.toBe('failed')
      })
    } finally {
      await queue.cancel(job.id)
    }
  })

  it('says what a summary choice would send where as it is chosen, before Save', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Settings' }).click()
    const summaries = page.locator('section[aria-labelledby="settings-summaries"]')
    const note = summaries.getByRole('note')
    await expect.poll(() => note.textContent()).toMatch(/^Nothing leaves this computer/)
    await summaries.getByRole('radio', { name: /OpenAI-compatible server/ }).check()
    await expect
      .poll(() => note.textContent())
      .toMatch(/sent to the server on this computer at http:\/\/127\.0\.0\.1/)
    await summaries.getByRole('textbox', { name: 'Server address' }).fill('https://llm.example.com/v1')
    await expect.poll(() => note.textContent()).toMatch(/is sent to https:\/\/llm\.example\.com\/v1 \(model/)
    expect(storeOf(host.services).settings.get('summaries').provider).toBe('extractive') // nothing saved yet
    await summaries.getByRole('radio', { name: /This computer/ }).check()
  })
})

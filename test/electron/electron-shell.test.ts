import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EVENT_CHANNEL, MEDIA_SCHEME, invokeChannel, requestNames } from '../../src/shared/contract'
import { Store } from '../../src/main/store'
import { SqliteLibrary } from '../../src/main/store/sqlite-library'
import { JobQueue } from '../../src/main/jobs/queue'
import { createFakeElectron, type FakeElectron } from '../helpers/fake-electron'
import { tempDir } from '../helpers/temp'

let fake: FakeElectron
let dir: string
const updater = {
  autoDownload: false,
  autoInstallOnAppQuit: false,
  checks: 0,
  checkForUpdates: async () => void updater.checks++,
}

async function startShell(
  singleInstance = true,
  options: Partial<Parameters<typeof createFakeElectron>[0]> = {},
) {
  fake = createFakeElectron({ userData: join(dir, 'userData'), singleInstance, ...options })
  vi.resetModules()
  vi.doMock('electron', () => fake.module)
  vi.doMock('electron-updater', () => ({ default: { autoUpdater: updater } }))
  ;(process as { resourcesPath?: string }).resourcesPath = join(dir, 'resources')
  const { startElectronApp } = await import('../../src/main/electron/app')
  const renderer = join(dir, 'renderer')
  mkdirSync(renderer, { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head></head><body>app</body></html>')
  startElectronApp({
    preload: join(dir, 'preload/index.cjs'),
    renderer,
    demoAudio: join(dir, 'demo'),
  })
}

async function quitShell() {
  const event = {
    prevented: false,
    preventDefault() {
      this.prevented = true
    },
  }
  fake.app.emit('before-quit', event)
  await vi.waitFor(() => expect(fake.log).toContain('app.quit'))
  return event
}

beforeEach(async () => {
  dir = tempDir()
})
afterEach(async () => {
  vi.doUnmock('electron')
  vi.doUnmock('electron-updater')
  updater.checks = 0
})

const invoke = (channel: string, url: string | null, input: unknown) =>
  fake.ipcHandlers.get(channel)?.({ senderFrame: url === null ? null : { url } }, input) as Promise<unknown>

describe('Electron shell wiring (against a recording stand-in for electron)', () => {
  it.each([
    ['en-US', 'The call library could not be opened', 'Open the data folder'],
    ['he-IL', 'לא ניתן היה לפתוח את ספריית השיחות', 'פתיחת תיקיית הנתונים'],
  ])(
    'a start-up failure (%s) says what and where, offers the data folder, and exits',
    async (locale, says, button) => {
      const userData = join(dir, 'userData')
      mkdirSync(userData, { recursive: true })
      writeFileSync(join(userData, 'callscribe.db'), 'this is not a database, it is a text file '.repeat(100))
      await startShell(true, { locale, dialogResponse: 0 })
      await fake.fireReady()
      await vi.waitFor(() => expect(fake.log).toContain('app.exit(1)'))
      expect(fake.dialogs).toHaveLength(1)
      expect(fake.dialogs[0]).toMatchObject({
        type: 'error',
        message: expect.stringContaining(says),
        detail: expect.stringContaining(userData),
        buttons: [button, expect.any(String)],
      })
      expect(fake.openedPaths).toEqual([userData])
    },
  )

  it('a second instance quits before doing anything else', async () => {
    await startShell(false)
    expect(fake.log).toEqual(['requestSingleInstanceLock', 'app.quit'])
    await fake.fireReady()
    expect(fake.windows).toHaveLength(0)
    expect(fake.ipcHandlers.size).toBe(0)
  })

  it('registers the privileged schemes before ready, media with streaming for seeking', async () => {
    await startShell()
    expect(fake.privilegedSchemes).toEqual([
      { scheme: 'callscribe', privileges: { standard: true, secure: true, supportFetchAPI: true } },
      {
        scheme: MEDIA_SCHEME,
        privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
      },
    ])
    await fake.fireReady()
    await quitShell()
  })

  it('opens one sandboxed, isolated window on the app scheme and guards it', async () => {
    await startShell()
    await fake.fireReady()
    expect(fake.windows).toHaveLength(1)
    // The window comes before the keychain is asked (macOS may prompt): never a prompt without a window.
    expect(fake.log.indexOf('new BrowserWindow')).toBeLessThan(
      fake.log.indexOf('safeStorage: keychain asked'),
    )
    const window = fake.windows[0]!
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: join(dir, 'preload/index.cjs'),
    })
    expect(window.loadedUrl).toBe('callscribe://app/index.html')

    const contents = window.webContents
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler?.({ url: 'https://www.twilio.com/docs' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler?.({ url: 'http://www.twilio.com/' })).toEqual({ action: 'deny' })
    expect(fake.openedExternally).toEqual(['https://www.twilio.com/docs'])
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(contents.attempt('will-navigate', 'callscribe://app/index.html')).toBe(false)
    expect(contents.attempt('will-attach-webview')).toBe(true)

    const ask = (permission: string, requestingUrl: string) => {
      let granted: unknown = 'unanswered'
      fake.permission.request?.(contents, permission, (answer: boolean) => (granted = answer), {
        requestingUrl,
      })
      return granted
    }
    expect(ask('media', 'callscribe://app/index.html')).toBe(false)
    expect(fake.permission.check?.(contents, 'notifications', 'callscribe://app')).toBe(false)
    // Copy transcript writes to the clipboard: allowed for the app's own page only.
    expect(ask('clipboard-sanitized-write', 'callscribe://app/index.html')).toBe(true)
    expect(fake.permission.check?.(contents, 'clipboard-sanitized-write', 'callscribe://app')).toBe(true)
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
    expect(fake.permission.check?.(contents, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false)
    expect(ask('clipboard-read', 'callscribe://app/index.html')).toBe(false)
    await quitShell()
  })

  it('serves the page with a strict CSP and recordings through the media handler', async () => {
    await startShell()
    await fake.fireReady()
    const page = await fake.protocolHandlers.get('callscribe')?.(new Request('callscribe://app/index.html'))
    expect(page?.status).toBe(200)
    expect(page?.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self'/)
    expect(
      (await fake.protocolHandlers.get('callscribe')?.(new Request('callscribe://app/..%2F..%2Fsecret')))
        ?.status,
    ).toBe(404)
    const media = await fake.protocolHandlers.get(MEDIA_SCHEME)?.(
      new Request(`${MEDIA_SCHEME}://recording/RE${'0'.repeat(32)}`),
    )
    expect(media?.status).toBe(404)
    await quitShell()
  })

  it('handles every contract request, only from the app page, validating arguments', async () => {
    await startShell()
    await fake.fireReady()
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(requestNames.map(invokeChannel).sort())

    const channel = invokeChannel('app.info')
    expect(await invoke(channel, 'https://evil.example/', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(await invoke(channel, null, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await invoke(channel, 'callscribe://app/index.html', {})).toMatchObject({
      ok: true,
      value: { transport: 'electron', dataDir: join(dir, 'userData') },
    })
    expect(
      await invoke(invokeChannel('calls.get'), 'callscribe://app/index.html', { callSid: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    })
    await quitShell()
  })

  it('checks for updates only when an update feed is configured, downloading in the background', async () => {
    await startShell()
    await fake.fireReady()
    expect(updater.checks).toBe(0)
    await quitShell()

    mkdirSync(join(dir, 'resources'), { recursive: true })
    writeFileSync(
      join(dir, 'resources', 'app-update.yml'),
      'provider: generic\nurl: https://updates.example/\n',
    )
    await startShell()
    await fake.fireReady()
    expect(updater.checks).toBe(1)
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true })
    await quitShell()
  })

  it('pushes main events to the window and closes the library on quit', async () => {
    mkdirSync(join(dir, 'userData'), { recursive: true })
    const seeded = Store.open(join(dir, 'userData', 'callscribe.db'))
    const queue = new JobQueue(new SqliteLibrary(seeded))
    const job = await queue.enqueue('recording-summary', 'RE-seeded', { maxAttempts: 1 })
    await queue.fail((await queue.claim('recording-summary', 'old-run'))!, new Error('server said 500'))
    seeded.close()

    await startShell()
    await fake.fireReady()
    const retried = await invoke(invokeChannel('jobs.retry'), 'callscribe://app/index.html', {
      jobId: job.id,
    })
    expect(retried).toMatchObject({ ok: true, value: { state: 'queued' } })
    expect(fake.windows[0]!.webContents.sent).toContainEqual({
      channel: EVENT_CHANNEL,
      message: { name: 'job.changed', payload: expect.objectContaining({ id: job.id, state: 'queued' }) },
    })
    const quit = await quitShell()
    expect(quit.prevented).toBe(true) // waited for the services to close first
  })

  it('a second launch brings the window back when it was closed (macOS keeps running without one)', async () => {
    await startShell()
    await fake.fireReady()
    expect(fake.windows).toHaveLength(1)
    fake.windows[0]!.emit('closed')
    fake.app.emit('second-instance')
    expect(fake.windows).toHaveLength(2)
    expect(fake.windows[1]!.loadedUrl).toBe('callscribe://app/index.html')
    await quitShell()
  })

  it('quitting never waits more than a few seconds for the engine, worker and database', async () => {
    await startShell()
    await fake.fireReady()
    const { Services } = await import('../../src/main/services')
    type Instance = InstanceType<typeof Services>
    const stuck: Instance[] = []
    const close = vi.spyOn(Services.prototype, 'close').mockImplementation(function (this: Instance) {
      stuck.push(this)
      return new Promise(() => undefined) // a close that never finishes
    })
    try {
      fake.app.emit('before-quit', { preventDefault: () => undefined })
      await vi.waitFor(() => expect(fake.log).toContain('app.exit(0)'), { timeout: 8000 })
    } finally {
      close.mockRestore()
      for (const services of stuck) await services.close()
    }
  }, 15_000)
})

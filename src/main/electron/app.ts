import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import electronUpdater from 'electron-updater'
import { EVENT_CHANNEL } from '../../shared/contract'
import { EncryptedFileSecretStore } from '../secrets/secret-store'
import { createRendererFileHandler } from '../renderer-files/serve-renderer'
import { createRequestDispatcher } from '../handlers'
import type { Dispatch } from '../ipc/dispatch'
import { Services } from '../services'
import { registerIpcHandlers } from './ipc'
import { createSafeStorageCipher } from './safe-storage'
import { startUpdates } from './updater'
import { startupDialog } from './startup-failure'
import { handleProtocols, registerPrivilegedSchemes } from './protocols'
import {
  APP_ORIGIN,
  restrictPermissions,
  guardWebContents,
  isAllowedExternalUrl,
  isTrustedPageUrl,
  secureWebPreferences,
} from './security'

/** How long quitting may wait for the engine, the worker and the database. */
export const QUIT_DEADLINE_MS = 5000
/** Windows groups the taskbar entry and notifications by this id; it must match the installer's appId. */
export const APP_USER_MODEL_ID = 'app.callscribe.desktop'

export interface ShellPaths {
  preload: string
  renderer: string
  demoAudio: string
  /** The native transcription engine shipped with the app (undefined in development: native/build). */
  whisperEngine?: string
}

/**
 * Built layout: out/main/index.js beside out/preload/index.cjs and out/renderer/; the demo's sample calls
 * in resources/demo (next to the app in development, in the resources folder when packaged).
 */
export function builtPaths(mainDir: string, resourcesDir: string, packaged: boolean): ShellPaths {
  return {
    preload: join(mainDir, '../preload/index.cjs'),
    renderer: join(mainDir, '../renderer'),
    demoAudio: join(resourcesDir, 'demo'),
    whisperEngine: packaged
      ? join(resourcesDir, 'bin', `callscribe-whisper${process.platform === 'win32' ? '.exe' : ''}`)
      : undefined,
  }
}

/**
 * The Electron shell: single instance, secure window, protocols and IPC wired to the shared services.
 * Everything it does besides wiring lives in plain modules tested under Node.
 */
export function startElectronApp(paths: ShellPaths): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  registerPrivilegedSchemes(protocol)
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID)
  const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
  let services: Services | undefined
  /** Protocols and IPC are in place: a window may be opened (before the services have started). */
  let shellReady = false
  let mainWindow: BrowserWindow | undefined
  let stopUpdates = (): void => undefined

  const openExternal = (url: string): void => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
  }
  const isTrustedSender = (event: IpcMainInvokeEvent): boolean =>
    event.senderFrame !== null && isTrustedPageUrl(event.senderFrame.url, devServerUrl)

  const createWindow = (): void => {
    mainWindow = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'CallScribe',
      webPreferences: secureWebPreferences(paths.preload),
    })
    guardWebContents(mainWindow.webContents, openExternal, devServerUrl)
    mainWindow.once('ready-to-show', () => mainWindow?.show())
    mainWindow.on('closed', () => (mainWindow = undefined))
    void mainWindow.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`)
  }

  // A second launch brings the window back; on macOS the app may be running with its window closed.
  app.on('second-instance', () => {
    if (!shellReady) return
    if (!mainWindow) return createWindow()
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal, devServerUrl))

  void app
    .whenReady()
    .then(async () => {
      restrictPermissions(session.defaultSession, devServerUrl)
      // The window and the protocols come first: opening the keychain (macOS may ask the user) and the
      // library can take a moment, and a prompt must never appear before the app has a window. Requests
      // and media made meanwhile wait for the services.
      let ready: (services: Services) => void = () => undefined
      const started = new Promise<Services>((resolve) => (ready = resolve))
      handleProtocols(protocol, createRendererFileHandler(paths.renderer), async (request) =>
        (await started).media(request),
      )
      let dispatch: Dispatch | undefined
      registerIpcHandlers(
        ipcMain,
        async (name, input) => (dispatch ??= createRequestDispatcher(await started))(name, input),
        isTrustedSender,
      )
      shellReady = true
      createWindow()
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) createWindow()
      })

      const dataDir = app.getPath('userData')
      const cipher = await createSafeStorageCipher(safeStorage)
      services = new Services({
        dataDir,
        transport: 'electron',
        version: app.getVersion(),
        secrets: new EncryptedFileSecretStore(join(dataDir, 'secrets.json'), cipher, (message) =>
          console.warn(message),
        ),
        demoAudioDir: paths.demoAudio,
        whisperEnginePath: paths.whisperEngine,
        // A desk that offered its CPU to the office does no work on battery.
        onBattery: () => powerMonitor.isOnBatteryPower(),
      })
      const current = services
      current.events.subscribe((name, payload) => {
        for (const window of BrowserWindow.getAllWindows())
          window.webContents.send(EVENT_CHANNEL, { name, payload })
      })
      // A desktop has no webhook: catch up as soon as the machine wakes.
      powerMonitor.on('resume', () => void current.sync.pollNow())
      await current.start()
      ready(current)
      if (app.isPackaged) {
        stopUpdates = startUpdates({
          updater: electronUpdater.autoUpdater,
          configuredFeed: existsSync(join(process.resourcesPath, 'app-update.yml')),
          transcriptionRunning: () => current.runner.isRunning('recording-transcription'),
          log: current.log,
        })
      }
    })
    .catch(async (error: unknown) => {
      // Without this, a failed start leaves a process with no window that holds the single-instance
      // lock, and every later launch quits silently. Say what and where, then exit.
      console.error(`CallScribe could not start: ${(error as Error)?.stack ?? String(error)}`)
      const dataDir = app.getPath('userData')
      try {
        const { response } = await dialog.showMessageBox(startupDialog(error, dataDir, app.getLocale()))
        if (response === 0) await shell.openPath(dataDir)
      } finally {
        await services?.close().catch(() => undefined)
        app.exit(1)
      }
    })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  let closing = false
  app.on('before-quit', (event) => {
    if (!services || closing) return
    // Give running jobs back to the queue and close the database before the process exits, but never
    // keep the user waiting: after a few seconds the process exits whatever is still closing.
    event.preventDefault()
    closing = true
    stopUpdates()
    const deadline = setTimeout(() => app.exit(0), QUIT_DEADLINE_MS)
    void services.close().finally(() => {
      clearTimeout(deadline)
      app.quit()
    })
  })
}

/**
 * A stand-in for the `electron` module that records what the main process asks of it, so the shell's
 * wiring (window options, guards, IPC, protocols, single instance) is tested where no Electron binary can
 * run. It only records and replays; it decides nothing.
 */
type Listener = (...args: unknown[]) => unknown

class Emitter {
  readonly listeners = new Map<string, Listener[]>()
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener)
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((listener) => listener(...args))
  }
}

export class FakeWebContents extends Emitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined
  readonly sent: { channel: string; message: unknown }[] = []
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler
  }
  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message })
  }
  /** Emits a cancellable event and says whether a listener prevented it. */
  attempt(event: string, ...args: unknown[]): boolean {
    let prevented = false
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args)
    return prevented
  }
}

export function createFakeElectron(options: {
  userData: string
  singleInstance?: boolean
  /** What the OS offers safeStorage: a real keyring, only Chromium's basic_text obfuscation, or nothing. */
  keyring?: 'gnome_libsecret' | 'basic_text' | 'none'
  locale?: string
  /** Which button the user presses in a message box. */
  dialogResponse?: number
}) {
  const log: string[] = []
  const windows: FakeBrowserWindow[] = []
  const ipcHandlers = new Map<string, Listener>()
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>()
  const privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[] = []
  const openedExternally: string[] = []
  const openedPaths: string[] = []
  const dialogs: Record<string, unknown>[] = []
  const permission = { request: undefined as Listener | undefined, check: undefined as Listener | undefined }
  let isReady = false
  let resolveReady: () => void = () => undefined
  const ready = new Promise<void>((resolve) => (resolveReady = resolve))

  class FakeBrowserWindow extends Emitter {
    static getAllWindows = () => windows
    readonly webContents = new FakeWebContents()
    loadedUrl: string | undefined
    constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
      super()
      windows.push(this)
      log.push('new BrowserWindow')
    }
    loadURL(url: string) {
      this.loadedUrl = url
      return Promise.resolve()
    }
    show() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false
    }
  }

  const app = new (class extends Emitter {
    isPackaged = true
    requestSingleInstanceLock() {
      log.push('requestSingleInstanceLock')
      return options.singleInstance ?? true
    }
    quit() {
      log.push('app.quit')
    }
    exit(code: number) {
      log.push(`app.exit(${code})`)
    }
    getLocale() {
      return options.locale ?? 'en-US'
    }
    whenReady() {
      return ready
    }
    getPath(name: string) {
      if (name !== 'userData') throw new Error(`unexpected getPath(${name})`)
      return options.userData
    }
    getVersion() {
      return '0.1.0'
    }
  })()

  const powerMonitor = new Emitter()
  const keyring = options.keyring ?? 'gnome_libsecret'
  // Stands in for the OS cipher: reversible, and visibly not the plain text.
  const scramble = (text: string) =>
    Buffer.from(`enc:${Buffer.from(text).toString('base64').split('').reverse().join('')}`)
  const safeStorage = {
    isAsyncEncryptionAvailable: async () => (log.push('safeStorage: keychain asked'), keyring !== 'none'),
    getSelectedStorageBackend: () => (keyring === 'none' ? 'basic_text' : keyring),
    encryptStringAsync: async (plain: string) => scramble(plain),
    decryptStringAsync: async (data: Buffer) => ({
      shouldReEncrypt: false,
      result: Buffer.from(data.toString().slice(4).split('').reverse().join(''), 'base64').toString(),
    }),
  }

  const module = {
    app,
    powerMonitor,
    safeStorage,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle(channel: string, handler: Listener) {
        if (ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`)
        ipcHandlers.set(channel, handler)
      },
    },
    protocol: {
      registerSchemesAsPrivileged(schemes: typeof privilegedSchemes) {
        if (isReady) throw new Error('registerSchemesAsPrivileged must be called before ready')
        privilegedSchemes.push(...schemes)
        log.push('registerSchemesAsPrivileged')
      },
      handle(scheme: string, handler: (request: Request) => Promise<Response>) {
        protocolHandlers.set(scheme, handler)
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => (permission.request = handler),
        setPermissionCheckHandler: (handler: Listener) => (permission.check = handler),
      },
    },
    shell: {
      openExternal: (url: string) => {
        openedExternally.push(url)
        return Promise.resolve()
      },
      openPath: (path: string) => {
        openedPaths.push(path)
        return Promise.resolve('')
      },
    },
    dialog: {
      showMessageBox: (box: Record<string, unknown>) => {
        dialogs.push(box)
        return Promise.resolve({ response: options.dialogResponse ?? 1, checkboxChecked: false })
      },
    },
  }

  return {
    module,
    app,
    powerMonitor,
    log,
    windows,
    ipcHandlers,
    protocolHandlers,
    privilegedSchemes,
    openedExternally,
    openedPaths,
    dialogs,
    permission,
    async fireReady() {
      isReady = true
      resolveReady()
      await ready
      await new Promise((resolve) => setTimeout(resolve, 0))
    },
  }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>

import type { Session, WebContents, WebPreferences } from 'electron'

export const APP_SCHEME = 'callscribe'
export const APP_ORIGIN = `${APP_SCHEME}://app`

/** Sites a link in the app may open in the system browser; everything else is refused. */
export const EXTERNAL_LINK_ALLOWLIST = [
  'https://www.twilio.com',
  'https://console.twilio.com',
  'https://platform.openai.com',
  'https://ollama.com',
]

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const { origin, protocol } = new URL(url)
    return protocol === 'https:' && EXTERNAL_LINK_ALLOWLIST.includes(origin)
  } catch {
    return false
  }
}

/** The only page origins whose frames may talk to main: the packaged app, or the local dev server. */
export function isTrustedPageUrl(url: string | undefined, devServerUrl: string | undefined): boolean {
  if (!url) return false
  try {
    const parsed = new URL(url)
    // Node's URL gives custom schemes an opaque origin ("null"), so compare scheme and host instead.
    if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app') return true
    return devServerUrl !== undefined && parsed.origin === new URL(devServerUrl).origin
  } catch {
    return false
  }
}

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  }
}

/** No pop-ups, no navigation away from the app, no webviews; allowlisted links open in the browser. */
export function guardWebContents(
  contents: WebContents,
  openExternal: (url: string) => void,
  devServerUrl: string | undefined,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedPageUrl(url, devServerUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedPageUrl(url, devServerUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** The app needs no camera, microphone, notifications or anything else a page can ask for. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

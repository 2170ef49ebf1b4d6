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

/**
 * The app asks for one thing only: writing text to the clipboard (Copy transcript), which Chromium
 * models as `clipboard-sanitized-write`. It is granted to the app's own page and nothing else; the
 * camera, microphone, notifications and every other permission are refused to everyone.
 */
const APP_PERMISSIONS = new Set(['clipboard-sanitized-write'])

export function restrictPermissions(session: Session, devServerUrl: string | undefined): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(APP_PERMISSIONS.has(permission) && isTrustedPageUrl(details.requestingUrl, devServerUrl)),
  )
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) =>
      APP_PERMISSIONS.has(permission) && isTrustedPageUrl(requestingOrigin, devServerUrl),
  )
}

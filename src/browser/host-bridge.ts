/**
 * The browser host's half of the transport: builds the same `window.callscribe` that Electron's preload
 * exposes, over a WebSocket to the host. Loaded by the host before the renderer's own scripts. The page's
 * link carries the host's per-run token.
 */
import { createApi } from '../shared/api'
import { BRIDGE_PATHS } from './paths'
import { socketTransport } from './socket-transport'

const token =
  new URLSearchParams(location.search).get('token') ?? sessionStorage.getItem('callscribe-token') ?? ''
sessionStorage.setItem('callscribe-token', token)
const withToken = `token=${encodeURIComponent(token)}`

const api = createApi({
  ...socketTransport({
    socketUrl: `${location.origin.replace(/^http/, 'ws')}${BRIDGE_PATHS.ipc}?${withToken}`,
    // The host answers 204 to this run's token and 403 to any other.
    sessionUrl: `${BRIDGE_PATHS.session}?${withToken}`,
    sessionGone: 'link-expired',
  }),
  mediaUrl: (recordingSid) => `/media/${encodeURIComponent(recordingSid)}?${withToken}`,
  // A browser never reveals where a picked file lives; the app asks for a path instead.
  pathForFile: null,
  signIn: null,
})

Object.defineProperty(window, 'callscribe', {
  value: Object.freeze(api),
  writable: false,
  configurable: false,
})

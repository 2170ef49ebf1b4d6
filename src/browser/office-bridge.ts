/**
 * A browser at the office server: the same `window.callscribe` a desk gives its window, over a WebSocket to
 * the server. The session is a cookie the server set when this browser signed in with a pairing code
 * (HttpOnly: the page never holds it); until then, and once the office ends the session, the page is
 * `signed-out` and the renderer asks for a code. Like a desk, a browser keeps its interface preferences
 * (the language) for itself, in its own storage: one person choosing Hebrew changes no one else's screen.
 */
import { createApi } from '../shared/api'
import { requests, type Envelope, type EventName, type RequestName } from '../shared/contract'
import type { InterfaceSettings } from '../shared/settings'
import { BRIDGE_PATHS } from './paths'
import { socketTransport } from './socket-transport'

const PREFERENCES_KEY = 'callscribe-preferences'
/** A browser has nothing of its own to set up: what the office shares, its admin sets in Settings. */
const DEFAULT_PREFERENCES: InterfaceSettings = { locale: null, onboarded: true }

const unreachable: Envelope<never> = {
  ok: false,
  error: { code: 'unavailable', message: 'office server unreachable', notice: { code: 'connection-lost' } },
}

function preferences(): InterfaceSettings {
  try {
    const stored = requests['preferences.update'].input.safeParse(
      JSON.parse(localStorage.getItem(PREFERENCES_KEY) ?? '{}'),
    )
    return { ...DEFAULT_PREFERENCES, ...(stored.success ? stored.data : {}) }
  } catch {
    return DEFAULT_PREFERENCES
  }
}

async function signOut(): Promise<void> {
  await fetch(BRIDGE_PATHS.signOut, { method: 'POST' }).catch(() => undefined)
  // Starts over: the server no longer knows this browser, so the page asks for a code.
  location.reload()
}

const socket = socketTransport({
  socketUrl: `${location.origin.replace(/^http/, 'ws')}${BRIDGE_PATHS.ipc}`,
  // The session cookie goes with it: 204 while the office knows this browser, 401 once it does not.
  sessionUrl: BRIDGE_PATHS.session,
  sessionGone: 'signed-out',
})
let eventListener: ((name: EventName, payload: unknown) => void) | undefined

/** Requests this browser answers itself; everything else is the office's. */
const answeredHere: Partial<Record<RequestName, (input: unknown) => Promise<Envelope<unknown>>>> = {
  'preferences.get': async () => ({ ok: true, value: preferences() }),
  'preferences.update': async (input) => {
    const parsed = requests['preferences.update'].input.safeParse(input)
    if (!parsed.success)
      return { ok: false, error: { code: 'invalid-argument', message: parsed.error.message } }
    const next = { ...preferences(), ...parsed.data }
    localStorage.setItem(PREFERENCES_KEY, JSON.stringify(next))
    eventListener?.('preferences.changed', next)
    return { ok: true, value: next }
  },
  // Leaving the office, for a browser, is signing out.
  'office.disconnect': async () => {
    await signOut()
    return { ok: true, value: { kind: 'desktop' } }
  },
}

const api = createApi({
  invoke: (name, input) => answeredHere[name]?.(input) ?? socket.invoke(name, input),
  onEvent(listener) {
    eventListener = listener
    socket.onEvent(listener)
  },
  onConnection: socket.onConnection,
  // Same origin: the session cookie goes with every recording request.
  mediaUrl: (recordingSid) => `/media/${encodeURIComponent(recordingSid)}`,
  pathForFile: null,
  async signIn(code) {
    try {
      const answer = await fetch(BRIDGE_PATHS.signIn, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
      })
      // A refused code answers with its notice; anything else (a proxy's error page) says its status.
      const envelope: Envelope<null> = answer.headers.get('Content-Type')?.startsWith('application/json')
        ? ((await answer.json()) as Envelope<null>)
        : { ok: false, error: { code: 'internal', message: `HTTP ${answer.status}` } }
      // The page starts over with its session (every store loads what this person may see).
      if (envelope.ok) location.reload()
      return envelope
    } catch {
      return unreachable
    }
  },
})

Object.defineProperty(window, 'callscribe', {
  value: Object.freeze(api),
  writable: false,
  configurable: false,
})

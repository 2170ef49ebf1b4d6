/**
 * The browser host's half of the transport: builds the same `window.callscribe` that Electron's preload
 * exposes, over a WebSocket to the host. Loaded by the host before the renderer's own scripts.
 */
import { createApi } from '../../shared/api'
import type { ConnectionState } from '../../shared/api'
import type { Envelope, EventName } from '../../shared/contract'
import { IPC_PATH, SESSION_PATH } from '../paths'

interface Pending {
  resolve: (envelope: Envelope<unknown>) => void
}

const token =
  new URLSearchParams(location.search).get('token') ?? sessionStorage.getItem('callscribe-token') ?? ''
sessionStorage.setItem('callscribe-token', token)

const pending = new Map<number, Pending>()
let nextId = 1
let eventListener: ((name: EventName, payload: unknown) => void) | undefined
let connectionListener: ((state: ConnectionState) => void) | undefined
let state: ConnectionState = 'connecting'
let socket: WebSocket
let retryMs = 500
/** Resolves when a socket is open; requests made while none is wait for the next one. */
let opened: Promise<void>
let markOpened = () => undefined as void
const awaitNextOpen = () => (opened = new Promise<void>((resolve) => (markOpened = resolve)))
awaitNextOpen()

const setState = (next: ConnectionState) => {
  state = next
  connectionListener?.(next)
}

/**
 * One socket at a time; when it drops (the host stopped, the laptop slept), requests in flight fail, the
 * page says it is disconnected and the bridge tries again, more slowly each time (up to every 10 s).
 * A link whose token the host no longer knows (the host restarted) is said so, not retried for ever.
 */
function connect(): void {
  socket = new WebSocket(
    `${location.origin.replace(/^http/, 'ws')}${IPC_PATH}?token=${encodeURIComponent(token)}`,
  )
  socket.addEventListener('open', () => {
    retryMs = 500
    markOpened()
    setState('connected')
  })
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as
      | { id: number; envelope: Envelope<unknown> }
      | { event: EventName; payload: unknown }
    if ('id' in data) {
      pending.get(data.id)?.resolve(data.envelope)
      pending.delete(data.id)
    } else {
      eventListener?.(data.event, data.payload)
    }
  })
  socket.addEventListener('close', () => {
    if (state === 'connected') awaitNextOpen()
    for (const { resolve } of pending.values())
      resolve({
        ok: false,
        error: { code: 'internal', message: 'connection lost', notice: { code: 'connection-lost' } },
      })
    pending.clear()
    void linkStillValid().then((valid) => {
      if (valid === false) return setState('link-expired')
      setState('disconnected')
      setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, 10_000)
    })
  })
}

/** Whether the host knows this page's token: false = it does not, null = the host cannot be reached. */
async function linkStillValid(): Promise<boolean | null> {
  try {
    const answer = await fetch(`${SESSION_PATH}?token=${encodeURIComponent(token)}`, { cache: 'no-store' })
    return answer.ok
  } catch {
    return null
  }
}

connect()

const api = createApi({
  async invoke(name, input) {
    await opened
    const id = nextId++
    return new Promise<Envelope<unknown>>((resolve) => {
      pending.set(id, { resolve })
      socket.send(JSON.stringify({ id, name, input }))
    })
  },
  onEvent(listener) {
    eventListener = listener
  },
  onConnection(listener) {
    connectionListener = listener
    listener(state)
  },
  mediaUrl: (recordingSid) => `/media/${encodeURIComponent(recordingSid)}?token=${encodeURIComponent(token)}`,
  // A browser never reveals where a picked file lives; the app asks for a path instead.
  pathForFile: null,
})

Object.defineProperty(window, 'callscribe', {
  value: Object.freeze(api),
  writable: false,
  configurable: false,
})

/**
 * The browser host's half of the transport: builds the same `window.callscribe` that Electron's preload
 * exposes, over a WebSocket to the host. Loaded by the host before the renderer's own scripts.
 */
import { createApi } from '../../shared/api'
import type { Envelope, EventName } from '../../shared/contract'

interface Pending {
  resolve: (envelope: Envelope<unknown>) => void
}

const token =
  new URLSearchParams(location.search).get('token') ?? sessionStorage.getItem('callscribe-token') ?? ''
sessionStorage.setItem('callscribe-token', token)

const pending = new Map<number, Pending>()
let nextId = 1
let eventListener: ((name: EventName, payload: unknown) => void) | undefined
const socket = new WebSocket(
  `${location.origin.replace(/^http/, 'ws')}/__callscribe/ipc?token=${encodeURIComponent(token)}`,
)
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve())
  socket.addEventListener('error', () => reject(new Error('Could not connect to the CallScribe host')))
})
opened.catch(() => undefined)

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
  for (const { resolve } of pending.values()) {
    resolve({ ok: false, error: { code: 'internal', message: 'Lost the connection to the CallScribe host' } })
  }
  pending.clear()
})

const api = createApi({
  async invoke(name, input) {
    try {
      await opened
    } catch (error) {
      return { ok: false, error: { code: 'internal', message: (error as Error).message } }
    }
    const id = nextId++
    return new Promise<Envelope<unknown>>((resolve) => {
      pending.set(id, { resolve })
      socket.send(JSON.stringify({ id, name, input }))
    })
  },
  onEvent(listener) {
    eventListener = listener
  },
  mediaUrl: (recordingSid) => `/media/${encodeURIComponent(recordingSid)}?token=${encodeURIComponent(token)}`,
  // A browser never reveals where a picked file lives; the settings page asks for a path instead.
  pathForFile: () => null,
})

Object.defineProperty(window, 'callscribe', {
  value: Object.freeze(api),
  writable: false,
  configurable: false,
})

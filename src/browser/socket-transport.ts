/**
 * The contract over a WebSocket, for the app's renderer in a plain browser (the browser host's page and a
 * browser signed in to the office server). One socket at a time; when it drops (the server stopped, the
 * laptop slept), requests in flight fail, the page says it is disconnected and the transport tries again,
 * more slowly each time (up to every 10 s). A page whose session the server no longer knows (the host
 * restarted, the office signed this browser out) is said so, never retried for ever.
 */
import type { ConnectionState, Transport } from '../shared/api'
import type { Envelope, EventName } from '../shared/contract'

export interface SocketTransportOptions {
  /** The socket's address (same origin). */
  socketUrl: string
  /** Answers 2xx while the server knows this page's session (BRIDGE_PATHS.session, with what identifies it). */
  sessionUrl: string
  /** What the page is told when the session is gone. */
  sessionGone: Extract<ConnectionState, 'link-expired' | 'signed-out'>
}

export type SocketTransport = Pick<Transport, 'invoke' | 'onEvent' | 'onConnection'>

export function socketTransport({
  socketUrl,
  sessionUrl,
  sessionGone,
}: SocketTransportOptions): SocketTransport {
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>()
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

  /** Whether the server still knows this page's session: false = it does not, null = it cannot be reached. */
  const sessionValid = async (): Promise<boolean | null> => {
    try {
      return (await fetch(sessionUrl, { cache: 'no-store' })).ok
    } catch {
      return null
    }
  }

  const setState = (next: ConnectionState) => {
    state = next
    connectionListener?.(next)
  }

  const connect = (): void => {
    socket = new WebSocket(socketUrl)
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
        pending.get(data.id)?.(data.envelope)
        pending.delete(data.id)
      } else {
        eventListener?.(data.event, data.payload)
      }
    })
    socket.addEventListener('close', () => {
      if (state === 'connected') awaitNextOpen()
      for (const resolve of pending.values())
        resolve({
          ok: false,
          error: { code: 'internal', message: 'connection lost', notice: { code: 'connection-lost' } },
        })
      pending.clear()
      void sessionValid().then((valid) => {
        if (valid === false) return setState(sessionGone)
        setState('disconnected')
        setTimeout(connect, retryMs)
        retryMs = Math.min(retryMs * 2, 10_000)
      })
    })
  }
  connect()

  return {
    async invoke(name, input) {
      await opened
      const id = nextId++
      return new Promise<Envelope<unknown>>((resolve) => {
        pending.set(id, resolve)
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
  }
}

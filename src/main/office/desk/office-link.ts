import { request as httpRequest, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { Readable } from 'node:stream'
import { WebSocket } from 'ws'
import type { Role } from '../../../shared/access'
import type { Envelope, EventName } from '../../../shared/contract'
import { notice, noticeOf, type Notice } from '../../../shared/notice'
import type { ApiErrorBody } from '../../../shared/types'
import { UserFacingError } from '../../errors'
import { deskProof, sameProof, serverProof } from '../pairing'
import { OFFICE_PATHS } from '../paths'
import { connectToServer, ServerIdentityError, unreachable } from './pinned-connection'

/** How long a request waits for a link that is (re)connecting. */
const REQUEST_WAIT_MS = 5_000

/** Close code the server uses when it drops a revoked session's connection. */
export const SIGNED_OUT_CLOSE_CODE = 4401

export type LinkState = 'connecting' | 'connected' | 'signed-out'

interface ServerRequest {
  method: string
  path: string
  headers: Record<string, string>
  body?: string
}

/** An HTTP request over a socket already connected (and its certificate checked) to the server. */
function requestOver(socket: Socket, address: URL, options: ServerRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: address.hostname,
      port: address.port,
      method: options.method,
      path: options.path,
      headers: { Host: address.host, ...options.headers },
      createConnection: () => socket,
    })
    req.on('response', resolve)
    req.on('error', (error) => reject(unreachable(address, error)))
    req.end(options.body)
  })
}

/** An HTTP request to the server whose certificate is pinned. */
async function requestServer(address: URL, pinned: string, options: ServerRequest): Promise<IncomingMessage> {
  const { socket } = await connectToServer(address, pinned)
  return requestOver(socket, address, options)
}

async function readBody(response: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    return null
  }
}

export interface Pairing {
  fingerprint: string
  token: string
  person: string
  role: Role
}

/** Redeems a pairing code at the server (see ../pairing.ts for why the code itself is never sent). */
export async function pairWithServer(address: URL, code: string, device: string): Promise<Pairing> {
  // One connection: the certificate it shows is the one the proof is bound to.
  const { socket, fingerprint } = await connectToServer(address, null)
  const body = JSON.stringify({ proof: deskProof(code, fingerprint), device })
  const response = await requestOver(socket, address, {
    method: 'POST',
    path: OFFICE_PATHS.pair,
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
    body,
  })
  const envelope = (await readBody(response)) as Envelope<{
    token: string
    person: string
    role: Role
    serverProof: string
  }> | null
  if (!envelope) throw unreachable(address, new Error(`HTTP ${response.statusCode}`))
  if (!envelope.ok) {
    const error: ApiErrorBody = envelope.error
    throw new UserFacingError(error.code, error.notice ?? notice('unexpected', { detail: error.message }))
  }
  if (!sameProof(envelope.value.serverProof, serverProof(code, fingerprint)))
    throw new ServerIdentityError(address.origin)
  return {
    fingerprint,
    token: envelope.value.token,
    person: envelope.value.person,
    role: envelope.value.role,
  }
}

export const notConnected = (): Envelope<never> => ({
  ok: false,
  error: {
    code: 'unavailable',
    message: 'not connected to the office server',
    notice: notice('office.not-connected'),
  },
})

export interface OfficeLinkOptions {
  address: URL
  fingerprint: string
  token: string
  onEvent: (name: EventName, payload: unknown) => void
  onState: (state: LinkState, problem: Notice | null) => void
  /** Longest wait between reconnection attempts. */
  maxRetryMs?: number
}

/**
 * A desk's live connection to the office server: the contract over one authenticated WebSocket, reconnected
 * with growing waits when the server or the network goes away; the server's events passed on; recordings
 * fetched with the player's byte range. Ends for good when the server says the session is revoked.
 */
export class OfficeLink {
  private socket: WebSocket | null = null
  private nextId = 1
  private readonly pending = new Map<number, (envelope: Envelope<unknown>) => void>()
  private closed = false
  private wake: (() => void) | null = null
  private readonly openWaiters = new Set<() => void>()

  constructor(private readonly options: OfficeLinkOptions) {}

  start(): void {
    void this.keepConnected()
  }

  /**
   * A contract call at the server. While the link is (re)connecting it waits a few seconds for it (a window
   * that opens as the app starts, a network blip) before saying it is not connected.
   */
  async request(name: string, input: unknown): Promise<Envelope<unknown>> {
    if (this.socket?.readyState !== WebSocket.OPEN && !this.closed) await this.opened(REQUEST_WAIT_MS)
    const socket = this.socket
    if (!socket || socket.readyState !== WebSocket.OPEN) return notConnected()
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      socket.send(JSON.stringify({ id, name, input }))
    })
  }

  private opened(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs)
      const waiters = this.openWaiters
      function done(): void {
        clearTimeout(timer)
        waiters.delete(done)
        resolve()
      }
      waiters.add(done)
    })
  }

  /** A recording from the server, with the request's byte range. */
  media(request: Request): Promise<Response> {
    const range = request.headers.get('range')
    return this.fetch(new URL(request.url).pathname, {
      method: request.method === 'HEAD' ? 'HEAD' : 'GET',
      headers: range ? { Range: range } : {},
    })
  }

  /** A GET (or HEAD) to the server with this desk's session, as a fetch Response. */
  async fetch(
    path: string,
    { method = 'GET', headers = {} }: { method?: 'GET' | 'HEAD'; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const response = await requestServer(this.options.address, this.options.fingerprint, {
      method,
      path,
      headers: { Authorization: `Bearer ${this.options.token}`, ...headers },
    })
    const copied = new Headers()
    for (const name of [
      'content-type',
      'content-length',
      'content-range',
      'accept-ranges',
      'cache-control',
    ]) {
      const value = response.headers[name]
      if (typeof value === 'string') copied.set(name, value)
    }
    const status = response.statusCode ?? 502
    const empty = method === 'HEAD' || status === 204 || status === 304
    if (empty) response.resume()
    return new Response(empty ? null : (Readable.toWeb(response) as ReadableStream), {
      status,
      headers: copied,
    })
  }

  /** Tells the server this desk signs out (best effort), then closes. */
  async signOut(): Promise<void> {
    try {
      const response = await requestServer(this.options.address, this.options.fingerprint, {
        method: 'POST',
        path: OFFICE_PATHS.signOut,
        headers: { Authorization: `Bearer ${this.options.token}`, 'Content-Length': '0' },
      })
      response.resume()
    } catch {
      // The server is away: the admin can still revoke the session.
    }
    this.close()
  }

  close(): void {
    this.closed = true
    this.socket?.terminate()
    this.wake?.()
    for (const waiter of [...this.openWaiters]) waiter()
  }

  private async keepConnected(): Promise<void> {
    let waitMs = 1000
    while (!this.closed) {
      this.options.onState('connecting', null)
      let problem: Notice | null = null
      try {
        const outcome = await this.connectOnce(() => (waitMs = 1000))
        if (outcome === 'signed-out') {
          this.closed = true
          this.options.onState('signed-out', notice('office.signed-out'))
          return
        }
      } catch (error) {
        problem = noticeOf(error)
      }
      if (this.closed) return
      this.options.onState('connecting', problem ?? notice('office.not-connected'))
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      waitMs = Math.min(waitMs * 2, this.options.maxRetryMs ?? 30_000)
    }
  }

  /** One connection, until it ends: 'signed-out' if the server refused or dropped the session. */
  private async connectOnce(onOpen: () => void): Promise<'closed' | 'signed-out'> {
    const { address, fingerprint, token } = this.options
    const { socket: tcp } = await connectToServer(address, fingerprint)
    const url = `${address.protocol === 'https:' ? 'wss' : 'ws'}://${address.host}${OFFICE_PATHS.ipc}`
    const socket = new WebSocket(url, {
      createConnection: () => tcp,
      headers: { Authorization: `Bearer ${token}` },
      maxPayload: 64 * 1024 * 1024,
    })
    this.socket = socket
    return new Promise((resolve, reject) => {
      let opened = false
      socket.on('unexpected-response', (_req, response) => {
        response.resume()
        if (response.statusCode === 401) resolve('signed-out')
        else reject(unreachable(address, new Error(`HTTP ${response.statusCode}`)))
        socket.terminate()
      })
      socket.on('open', () => {
        opened = true
        onOpen()
        this.options.onState('connected', null)
        for (const waiter of [...this.openWaiters]) waiter()
      })
      socket.on('message', (data) => this.receive(String(data)))
      socket.on('error', (error) => {
        if (!opened) reject(unreachable(address, error))
      })
      socket.on('close', (code) => {
        this.socket = null
        for (const [, settle] of this.pending) settle(notConnected())
        this.pending.clear()
        resolve(code === SIGNED_OUT_CLOSE_CODE ? 'signed-out' : 'closed')
      })
    })
  }

  private receive(text: string): void {
    let message: { id?: number; envelope?: Envelope<unknown>; event?: EventName; payload?: unknown }
    try {
      message = JSON.parse(text)
    } catch {
      return
    }
    if (typeof message.id === 'number' && message.envelope) {
      this.pending.get(message.id)?.(message.envelope)
      this.pending.delete(message.id)
    } else if (typeof message.event === 'string') {
      this.options.onEvent(message.event, message.payload)
    }
  }
}

import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { WebSocket, WebSocketServer } from 'ws'
import type { EventBus } from '../events'
import type { Caller } from '../../shared/access'
import type { Dispatch } from '../ipc/dispatch'
import type { Logger } from '../secrets/redact'

/**
 * What the two network transports (the browser host and the office server) share: turning a Node request
 * into a fetch Request and a Response back, refusing what no handler should see, and answering contract
 * calls on a WebSocket.
 */

/** A request refused before any handler sees it, with the status to answer. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The request as a fetch Request, or Refused: only the allowed methods, only origin-form targets ("/path",
 * never "http://other/…" or "*"), only our own Host when `host` is given (a page on another site cannot
 * reach a loopback server through DNS rebinding), and a path whose percent-escapes decode.
 */
export function toRequest(
  req: IncomingMessage,
  origin: string,
  { methods, host }: { methods: ReadonlySet<string>; host?: string },
): Request {
  if (!methods.has(req.method ?? '')) throw new Refused(405, 'Method Not Allowed')
  const target = req.url ?? ''
  if (!target.startsWith('/') || target.startsWith('//')) throw new Refused(400, 'Bad Request')
  if (host !== undefined && req.headers.host !== host) throw new Refused(400, 'Bad Request')
  try {
    const url = new URL(target, origin)
    decodeURIComponent(url.pathname)
    const headers = new Headers()
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(key, value)
    }
    return new Request(url, { method: req.method, headers })
  } catch {
    // A target URL cannot parse, an escape that does not decode, a header fetch refuses.
    throw new Refused(400, 'Bad Request')
  }
}

export function refuse(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy()
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(text)
}

export async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers))
  if (!response.body) return void res.end()
  const body = Readable.fromWeb(response.body as WebReadableStream)
  // A client that goes away mid-file is normal (seeking, closing the tab): end quietly.
  body.on('error', () => res.destroy())
  res.on('close', () => body.destroy())
  body.pipe(res)
}

/**
 * A server's request handler: nothing a request carries may end the process, so every failure becomes an
 * answer (a Refused one its status, anything else a logged 500).
 */
export function answerEveryRequest(
  respond: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  log: Logger,
  label: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    respond(req, res).catch((error: unknown) => {
      if (error instanceof Refused) return refuse(res, error.status, error.message)
      log.error(`${label}: ${req.method ?? '?'} request failed: ${(error as Error)?.message}`)
      refuse(res, 500, 'Internal Server Error')
    })
  }
}

/** Answers requests Node cannot parse with a 400 instead of dropping them unanswered. */
export function refuseMalformedRequests(server: Server): void {
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })
}

/** Sends each of main's events to every open contract socket; returns the unsubscribe. */
export function broadcastEvents(events: EventBus, sockets: WebSocketServer): () => void {
  return events.subscribe((name, payload) => {
    const message = JSON.stringify({ event: name, payload })
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message)
  })
}

/** Reads a small JSON body; Refused if it is larger than `limit` bytes or not JSON. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new Refused(413, 'Payload Too Large')
    chunks.push(chunk)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new Refused(400, 'Bad Request')
  }
}

/** A contract call: `{id: number, name: string, input?}`, or null for anything else. */
function parseMessage(text: string): { id: number; name: string; input: unknown } | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const { id, name, input } = value as Record<string, unknown>
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof name !== 'string') return null
  return { id, name, input }
}

/** Answers contract calls on one WebSocket, each as `caller`; a malformed message closes it. */
export function answerContractCalls(
  ws: WebSocket,
  dispatch: Dispatch,
  caller: Caller | undefined,
  log: Logger,
): void {
  // ws reports bad frames (too large, invalid UTF-8, bad opcodes) here and closes the socket itself;
  // without a listener the error would end the process.
  ws.on('error', (error) => log.warn(`WebSocket closed: ${error.message}`))
  ws.on('message', (data, isBinary) => {
    const message = isBinary ? null : parseMessage(String(data))
    if (!message) return ws.close(1003, 'bad message')
    const { id } = message
    void dispatch(message.name, message.input, caller)
      .catch((error: unknown) => {
        log.error(`dispatch failed: ${(error as Error)?.message}`)
        return { ok: false as const, error: { code: 'internal', message: 'Internal error' } }
      })
      .then((envelope) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, envelope }))
      })
  })
}

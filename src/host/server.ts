import { BRIDGE_PATH, IPC_PATH, SESSION_PATH } from './paths'
import { build } from 'esbuild'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { WebSocketServer, type WebSocket } from 'ws'
import { MemorySecretStore } from '../main/secrets/secret-store'
import type { TwilioCredentials } from '../main/twilio/credentials'
import { createRendererFileHandler } from '../main/renderer-files/serve-renderer'
import { createRequestDispatcher } from '../main/handlers'
import { Services, type ServicesOptions } from '../main/services'

export interface HostOptions {
  dataDir: string
  rendererDir?: string
  port?: number
  /** The access token (default: a new random one per run, so an old link stops working). */
  token?: string
  version?: string
  /** Credentials from the environment or the host's config file; kept in memory only. */
  twilioCredentials?: TwilioCredentials | null
  twilioApiOrigin?: string
  demoAudioDir?: string | null
  demoProcessingMs?: number
  jobHandlers?: ServicesOptions['jobHandlers']
  /** Where models are downloaded from (tests point it at a server that does not answer). */
  modelUrl?: ServicesOptions['modelUrl']
}

export interface RunningHost {
  /** The address to open, token included. */
  url: string
  origin: string
  token: string
  services: Services
  close(): Promise<void>
}

const DEMO_AUDIO = fileURLToPath(new URL('../../resources/demo', import.meta.url))

async function bundleBridge(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./browser/bridge.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    logLevel: 'silent',
  })
  return result.outputFiles[0]?.text ?? ''
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The host serves files and media: reading is all a browser needs. */
const METHODS = new Set(['GET', 'HEAD'])

/** A request the host refuses before any handler sees it, with the status to answer. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The request as a fetch Request, or Refused: only GET/HEAD, only origin-form targets ("/path", never
 * "http://other/…" or "*"), only our own Host (a page on another site cannot reach us through DNS
 * rebinding), and a path whose percent-escapes decode.
 */
function toRequest(req: IncomingMessage, origin: string): Request {
  if (!METHODS.has(req.method ?? '')) throw new Refused(405, 'Method Not Allowed')
  const target = req.url ?? ''
  if (!target.startsWith('/') || target.startsWith('//')) throw new Refused(400, 'Bad Request')
  if (req.headers.host !== new URL(origin).host) throw new Refused(400, 'Bad Request')
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

function refuse(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy()
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(text)
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers))
  if (!response.body) return void res.end()
  const body = Readable.fromWeb(response.body as WebReadableStream)
  // A client that goes away mid-file is normal (seeking, closing the tab): end quietly.
  body.on('error', () => res.destroy())
  res.on('close', () => body.destroy())
  body.pipe(res)
}

/** A contract call from the page: `{id: number, name: string, input?}`, or null for anything else. */
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

/**
 * The browser host: the app's main-process services under plain Node, its contract over a loopback
 * WebSocket and its renderer and media over HTTP, for running the whole app in a browser where Electron
 * cannot start. It listens on 127.0.0.1 only, needs a per-run token and refuses other origins.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const services = new Services({
    dataDir: options.dataDir,
    transport: 'browser-host',
    version: options.version ?? '0.0.0-host',
    secrets: new MemorySecretStore(),
    twilioApiOrigin: options.twilioApiOrigin,
    demoAudioDir: options.demoAudioDir === undefined ? DEMO_AUDIO : options.demoAudioDir,
    demoProcessingMs: options.demoProcessingMs,
    jobHandlers: options.jobHandlers,
    modelUrl: options.modelUrl,
  })
  if (options.twilioCredentials) await services.workspace.saveCredentials(options.twilioCredentials)
  const token = options.token ?? randomBytes(24).toString('base64url')
  const dispatch = createRequestDispatcher(services)
  const bridge = await bundleBridge()
  const serveRenderer = createRendererFileHandler(
    options.rendererDir ?? fileURLToPath(new URL('../../out/renderer', import.meta.url)),
    { injectHead: `<script src="${BRIDGE_PATH}"></script>` },
  )

  let origin = ''
  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const request = toRequest(req, origin)
    const { pathname, searchParams } = new URL(request.url)
    if (pathname === BRIDGE_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
      return void res.end(bridge)
    }
    if (pathname === SESSION_PATH) {
      res.writeHead(sameToken(searchParams.get('token'), token) ? 204 : 403, { 'Cache-Control': 'no-store' })
      return void res.end()
    }
    if (pathname.startsWith('/media/')) {
      if (!sameToken(searchParams.get('token'), token)) return refuse(res, 403, 'Forbidden')
      return send(res, await services.media(request))
    }
    return send(res, await serveRenderer(request))
  }
  // Nothing a request carries may end the process: every failure becomes an answer.
  const server = createServer((req, res) => {
    respond(req, res).catch((error: unknown) => {
      if (error instanceof Refused) return refuse(res, error.status, error.message)
      services.log.error(`host: ${req.method ?? '?'} request failed: ${(error as Error)?.message}`)
      refuse(res, 500, 'Internal Server Error')
    })
  })
  server.on('connect', (_req, socket) => {
    socket.on('error', () => socket.destroy())
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\n\r\n')
  })
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    let allowed = false
    try {
      const url = new URL(req.url ?? '/', origin)
      allowed =
        (req.url ?? '').startsWith('/') &&
        url.pathname === IPC_PATH &&
        req.headers.origin === origin &&
        sameToken(url.searchParams.get('token'), token)
    } catch {
      allowed = false
    }
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws))
  })
  sockets.on('connection', (ws: WebSocket) => {
    // ws reports bad frames (too large, invalid UTF-8, bad opcodes) here and closes the socket itself;
    // without a listener the error would end the process.
    ws.on('error', (error) => services.log.warn(`host: WebSocket closed: ${error.message}`))
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? null : parseMessage(String(data))
      if (!message) return ws.close(1003, 'bad message')
      const { id } = message
      void dispatch(message.name, message.input)
        .catch((error: unknown) => {
          services.log.error(`host: dispatch failed: ${(error as Error)?.message}`)
          return { ok: false as const, error: { code: 'internal', message: 'Internal error' } }
        })
        .then((envelope) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, envelope }))
        })
    })
  })
  const unsubscribe = services.events.subscribe((name, payload) => {
    const message = JSON.stringify({ event: name, payload })
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message)
  })

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('host did not get a TCP port')
  origin = `http://127.0.0.1:${address.port}`
  await services.start()

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    services,
    async close() {
      unsubscribe()
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await services.close()
    },
  }
}

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
import { Services, type ServicesOptions } from '../main/services'

export interface HostOptions {
  dataDir: string
  rendererDir?: string
  port?: number
  version?: string
  /** Credentials from the environment or the host's config file; kept in memory only. */
  twilioCredentials?: TwilioCredentials | null
  twilioApiOrigin?: string
  demoAudioDir?: string | null
  demoProcessingMs?: number
  jobHandlers?: ServicesOptions['jobHandlers']
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
const BRIDGE_PATH = '/__callscribe/bridge.js'
const IPC_PATH = '/__callscribe/ipc'

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

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value)
  }
  return new Request(new URL(req.url ?? '/', origin), { method: req.method ?? 'GET', headers })
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers))
  if (!response.body) return void res.end()
  Readable.fromWeb(response.body as WebReadableStream).pipe(res)
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
  })
  if (options.twilioCredentials) await services.workspace.saveCredentials(options.twilioCredentials)
  const token = randomBytes(24).toString('base64url')
  const { dispatch } = services
  const bridge = await bundleBridge()
  const serveRenderer = createRendererFileHandler(
    options.rendererDir ?? fileURLToPath(new URL('../../out/renderer', import.meta.url)),
    { injectHead: `<script src="${BRIDGE_PATH}"></script>` },
  )

  let origin = ''
  const server = createServer((req, res) => {
    const request = toRequest(req, origin)
    const { pathname, searchParams } = new URL(request.url)
    if (pathname === BRIDGE_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
      return void res.end(bridge)
    }
    if (pathname.startsWith('/media/')) {
      if (!sameToken(searchParams.get('token'), token)) return void res.writeHead(403).end('Forbidden')
      return void services.media(request).then((response) => send(res, response))
    }
    void serveRenderer(request).then((response) => send(res, response))
  })

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin)
    const allowed =
      url.pathname === IPC_PATH &&
      req.headers.origin === origin &&
      sameToken(url.searchParams.get('token'), token)
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws))
  })
  sockets.on('connection', (ws: WebSocket) => {
    ws.on('message', (data) => {
      let message: { id?: unknown; name?: unknown; input?: unknown }
      try {
        message = JSON.parse(String(data)) as typeof message
      } catch {
        return ws.close(1003, 'not JSON')
      }
      if (typeof message.id !== 'number' || typeof message.name !== 'string')
        return ws.close(1003, 'bad message')
      const id = message.id
      void dispatch(message.name, message.input).then((envelope) => ws.send(JSON.stringify({ id, envelope })))
    })
  })
  const unsubscribe = services.events.subscribe((name, payload) => {
    const message = JSON.stringify({ event: name, payload })
    for (const client of sockets.clients) client.send(message)
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

import { BRIDGE_PATHS } from '../browser/paths'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { WebSocketServer, type WebSocket } from 'ws'
import { MemorySecretStore } from '../main/secrets/secret-store'
import type { TwilioCredentials } from '../main/twilio/credentials'
import { createRendererFileHandler } from '../main/renderer-files/serve-renderer'
import { createRequestDispatcher } from '../main/handlers'
import {
  answerContractCalls,
  answerEveryRequest,
  broadcastEvents,
  refuse,
  refuseMalformedRequests,
  send,
  toRequest,
} from '../main/transport/http'
import { bundleBridge } from '../main/transport/bridge-bundle'
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

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The host serves files and media: reading is all a browser needs. */
const METHODS = new Set(['GET', 'HEAD'])

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
  const bridge = await bundleBridge('host-bridge')
  const serveRenderer = createRendererFileHandler(
    options.rendererDir ?? fileURLToPath(new URL('../../out/renderer', import.meta.url)),
    { injectHead: `<script src="${BRIDGE_PATHS.script}"></script>` },
  )

  let origin = ''
  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const request = toRequest(req, origin, { methods: METHODS, host: new URL(origin).host })
    const { pathname, searchParams } = new URL(request.url)
    if (pathname === BRIDGE_PATHS.script) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
      return void res.end(bridge)
    }
    if (pathname === BRIDGE_PATHS.session) {
      res.writeHead(sameToken(searchParams.get('token'), token) ? 204 : 403, { 'Cache-Control': 'no-store' })
      return void res.end()
    }
    if (pathname.startsWith('/media/')) {
      if (!sameToken(searchParams.get('token'), token)) return refuse(res, 403, 'Forbidden')
      return send(res, await services.media(request))
    }
    return send(res, await serveRenderer(request))
  }
  const server = createServer(answerEveryRequest(respond, services.log, 'host'))
  server.on('connect', (_req, socket) => {
    socket.on('error', () => socket.destroy())
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\n\r\n')
  })
  refuseMalformedRequests(server)

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    let allowed = false
    try {
      const url = new URL(req.url ?? '/', origin)
      allowed =
        (req.url ?? '').startsWith('/') &&
        url.pathname === BRIDGE_PATHS.ipc &&
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
  sockets.on('connection', (ws: WebSocket) => answerContractCalls(ws, dispatch, undefined, services.log))
  const unsubscribe = broadcastEvents(services.events, sockets)

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

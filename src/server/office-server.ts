import { createReadStream, existsSync, statSync } from 'node:fs'
import { Readable, type Duplex } from 'node:stream'
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { fileURLToPath } from 'node:url'
import { WebSocketServer, type WebSocket } from 'ws'
import { z } from 'zod'
import type { Envelope } from '../shared/contract'
import { createRequestDispatcher } from '../main/handlers'
import { UserFacingError } from '../main/errors'
import type { Authenticated } from '../main/office/access'
import { OFFICE_PATHS } from '../main/office/paths'
import { SIGNED_OUT_CLOSE_CODE } from '../main/office/desk/office-link'
import { deskProof } from '../main/office/pairing'
import { createRendererFileHandler } from '../main/renderer-files/serve-renderer'
import { BRIDGE_PATHS } from '../browser/paths'
import { bundleBridge } from '../main/transport/bridge-bundle'
import { BrowserSessions, browserDevice, sameOrigin } from './browser-access'
import { EncryptedFileSecretStore, FILE_PERMISSIONS_ONLY } from '../main/secrets/secret-store'
import { join } from 'node:path'
import { SyncLeadership } from '../main/office/sync-leader'
import { appPaths, Services, type ServicesOptions } from '../main/services'
import type { Library } from '../main/store/library'
import { SqliteLibrary } from '../main/store/sqlite-library'
import { moveSqliteLibrary, queueUnfinished } from './move-library'
import { PgLibrary } from '../main/store/postgres'
import { openOfficePool } from '../main/store/postgres/connection'
import type { TwilioCredentials } from '../main/twilio/credentials'
import {
  answerContractCalls,
  answerEveryRequest,
  broadcastEvents,
  readJson,
  Refused,
  refuse,
  refuseMalformedRequests,
  send,
  toRequest,
} from '../main/transport/http'
import type { ServerCertificate } from './tls'

export interface OfficeServerOptions
  extends Partial<Pick<ServicesOptions, 'version'>>,
    Pick<
      ServicesOptions,
      | 'twilioApiOrigin'
      | 'demoProcessingMs'
      | 'jobHandlers'
      | 'modelUrl'
      | 'whisperEnginePath'
      | 'runner'
      | 'leaseMs'
    > {
  dataDir: string
  listen: { host: string; port: number }
  /** null: plain HTTP (loopback only; the config refuses anything else). */
  certificate: ServerCertificate | null
  /** What desks type; default from the listening port. */
  address?: (port: number) => string
  twilioCredentials?: TwilioCredentials | null
  demoAudioDir?: string | null
  /** False: only desks that offered their CPU transcribe (a small server box); default true. */
  transcribeOnServer?: boolean
  /**
   * The office library's PostgreSQL (a connection string). Without it the library is a SQLite file in
   * dataDir: enough to try office mode, not what an office should run on.
   */
  postgres?: string
  /** How often a server that is not polling Twilio asks for the office's sync lock (tests shorten it). */
  syncLockCheckMs?: number
  /** The built renderer served to browsers (default out/renderer). */
  rendererDir?: string
}

export interface RunningOfficeServer {
  address: string
  port: number
  services: Services
  close(): Promise<void>
}

const DEMO_AUDIO = fileURLToPath(new URL('../../resources/demo', import.meta.url))
const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url))
const MEDIA_METHODS = new Set(['GET', 'HEAD'])
const pairRequest = z
  .object({ proof: z.string().min(1).max(100), device: z.string().trim().min(1).max(100) })
  .strict()
const signInRequest = z.object({ code: z.string().trim().min(1).max(100) }).strict()

function bearer(req: IncomingMessage): string | null {
  const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(req.headers.authorization ?? '')
  return match ? match[1]! : null
}

function answerJson(
  res: ServerResponse,
  status: number,
  envelope: Envelope<unknown>,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers })
    .end(JSON.stringify(envelope))
}

/** A pairing code that did not work, said with its notice (403; 429 once an address tried too often). */
function refusePairing(res: ServerResponse, error: unknown): void {
  if (!(error instanceof UserFacingError)) throw error
  const status = error.notice.code === 'office.too-many-attempts' ? 429 : 403
  answerJson(res, status, {
    ok: false,
    error: { code: error.code, message: error.message, notice: error.notice },
  })
}

/** The office's library: its PostgreSQL, or (without one) a SQLite file in the server's data folder. */
export async function openOfficeLibrary(dataDir: string, postgres?: string): Promise<Library> {
  if (!postgres) return SqliteLibrary.open(appPaths(dataDir).database)
  const pool = openOfficePool(postgres)
  try {
    return await PgLibrary.open(pool)
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw new Error(
      `Cannot open the office library (${libraryName(postgres)}): ${(error as Error).message}. Is PostgreSQL running there, with that database and user?`,
      { cause: error },
    )
  }
}

/** Where the library is, as the log and error messages say it: never a password. */
export function libraryName(postgres: string | undefined): string {
  if (!postgres) return 'a SQLite file in the data folder'
  return `PostgreSQL ${postgres.replace(/^(\w+:\/\/[^:@/]*):[^@/]*@/, '$1:***@')}`
}

/**
 * callscribe-server: the app's services as the office's one library, for desks and browsers. Every
 * request for the office's data needs a session (made from a pairing code, see src/main/office/access.ts):
 * a desk's bearer token, or a browser's session cookie (./browser-access.ts); only redeeming a code and the
 * app's own page and scripts (the same for everyone) need none. Every contract call is authorised by the
 * caller's role (src/shared/access.ts); a revoked session's connections are dropped at once. Twilio and LLM
 * secrets stay here: desks and browsers never see them.
 */
export async function startOfficeServer(options: OfficeServerOptions): Promise<RunningOfficeServer> {
  const { certificate } = options
  let address = ''
  const library = await openOfficeLibrary(options.dataDir, options.postgres)
  const services = new Services({
    library,
    // On PostgreSQL another server may share the library: Twilio is polled by the one holding the lock.
    pollTwilio: !options.postgres,
    dataDir: options.dataDir,
    transport: 'office-server',
    version: options.version ?? '0.0.0-server',
    // Kept in the server's private data folder (0700, the file 0600): a server has no one's keychain.
    secrets: new EncryptedFileSecretStore(join(options.dataDir, 'secrets.json'), FILE_PERMISSIONS_ONLY, (m) =>
      console.warn(m),
    ),
    twilioApiOrigin: options.twilioApiOrigin,
    demoAudioDir: options.demoAudioDir === undefined ? DEMO_AUDIO : options.demoAudioDir,
    demoProcessingMs: options.demoProcessingMs,
    jobHandlers: options.jobHandlers,
    modelUrl: options.modelUrl,
    whisperEnginePath: options.whisperEnginePath,
    leaseMs: options.leaseMs,
    runner: {
      ...options.runner,
      ...(options.transcribeOnServer === false
        ? { concurrency: { ...options.runner?.concurrency, 'recording-transcription': 0 } }
        : {}),
    },
    // The address is known once the port is; OfficeAccess reads it when it makes a code.
    officeServer: {
      fingerprint: certificate?.fingerprint ?? '',
      get address() {
        return address
      },
    },
  })
  const moved =
    library instanceof PgLibrary
      ? await moveSqliteLibrary(appPaths(options.dataDir).database, library, services.log)
      : null
  const access = services.officeAccess!
  // The office manager put these in the config file (or the service's environment) themselves.
  if (options.twilioCredentials)
    await services.workspace.saveCredentials(options.twilioCredentials, { allowUnprotected: true })
  const dispatch = createRequestDispatcher(services)
  const scheme = certificate ? 'https' : 'http'
  const origin = `${scheme}://${options.listen.host}`
  const browsers = new BrowserSessions(certificate !== null)
  const bridge = await bundleBridge('office-bridge')
  const rendererDir = options.rendererDir ?? RENDERER
  if (!existsSync(join(rendererDir, 'index.html')))
    services.log.warn(
      `office server: no app pages in ${rendererDir} (npx electron-vite build): browsers cannot sign in`,
    )
  const serveRenderer = createRendererFileHandler(rendererDir, {
    injectHead: `<script src="${BRIDGE_PATHS.script}"></script>`,
  })
  /** The session token a request carries: a desk's (Authorization) or a browser's (cookie). */
  const credentialOf = (req: IncomingMessage): { token: string; cookie: boolean } | null => {
    const token = bearer(req)
    if (token) return { token, cookie: false }
    const cookie = browsers.tokenOf(req)
    return cookie ? { token: cookie, cookie: true } : null
  }

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0] ?? ''
    const from = req.socket.remoteAddress ?? ''
    if (req.method === 'POST' && path === OFFICE_PATHS.pair) {
      const parsed = pairRequest.safeParse(await readJson(req, 4096))
      if (!parsed.success) throw new Refused(400, 'Bad Request')
      try {
        const paired = await access.pair(parsed.data.proof, parsed.data.device, from)
        services.log.info(`office: ${paired.person} paired a device (session ${paired.sessionId})`)
        return answerJson(res, 200, { ok: true, value: paired })
      } catch (error) {
        return refusePairing(res, error)
      }
    }
    if (req.method === 'POST' && path === BRIDGE_PATHS.signIn) {
      if (!sameOrigin(req, scheme)) throw new Refused(403, 'Forbidden')
      const parsed = signInRequest.safeParse(await readJson(req, 1024))
      if (!parsed.success) throw new Refused(400, 'Bad Request')
      try {
        // A browser cannot pin the certificate (it trusts it, or its person did): the server makes the proof
        // of the code it was sent over that TLS connection, and the rest is a desk's pairing.
        const device = browserDevice(req.headers['user-agent'])
        const proof = deskProof(parsed.data.code, certificate?.fingerprint ?? '')
        const paired = await access.pair(proof, device, from)
        services.log.info(`office: ${paired.person} signed in from a browser (session ${paired.sessionId})`)
        return answerJson(
          res,
          200,
          { ok: true, value: null },
          { 'Set-Cookie': browsers.cookie(paired.token) },
        )
      } catch (error) {
        return refusePairing(res, error)
      }
    }
    // The app itself (its page, scripts and bridge) is the same for everyone and holds no office data: a
    // browser loads it before signing in, and the page asks for a pairing code.
    if (MEDIA_METHODS.has(req.method ?? '') && path === BRIDGE_PATHS.script) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
      return void res.end(bridge)
    }
    if (
      MEDIA_METHODS.has(req.method ?? '') &&
      !path.startsWith('/__callscribe/') &&
      !path.startsWith(OFFICE_PATHS.media)
    )
      return send(res, await serveRenderer(toRequest(req, origin, { methods: MEDIA_METHODS })))
    const credential = credentialOf(req)
    const session = credential ? await access.authenticate(credential.token) : null
    if (req.method === 'GET' && path === BRIDGE_PATHS.session) {
      res.writeHead(session ? 204 : 401, { 'Cache-Control': 'no-store' }).end()
      return
    }
    if (!session || !credential) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer', 'Cache-Control': 'no-store' }).end()
      return
    }
    // A cookie goes with any request the browser makes, even one another site's page started.
    if (credential.cookie && !MEDIA_METHODS.has(req.method ?? '') && !sameOrigin(req, scheme))
      throw new Refused(403, 'Forbidden')
    if (req.method === 'POST' && path === OFFICE_PATHS.signOut) {
      await access.revoke(session.sessionId)
      res.writeHead(204, credential.cookie ? { 'Set-Cookie': browsers.cleared() } : {}).end()
      return
    }
    if (req.method === 'GET' && path.startsWith(OFFICE_PATHS.model)) {
      const file = services.remoteWork!.modelFile(path.slice(OFFICE_PATHS.model.length))
      if (!file) return refuse(res, 404, 'Not Found')
      const headers = {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(statSync(file).size),
        'Cache-Control': 'no-store',
      }
      return send(res, new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, { headers }))
    }
    if (path.startsWith(OFFICE_PATHS.media))
      return send(res, await services.media(toRequest(req, origin, { methods: MEDIA_METHODS })))
    refuse(res, 404, 'Not Found')
  }
  const handle = answerEveryRequest(respond, services.log, 'office server')
  const server = certificate
    ? createHttpsServer({ cert: certificate.cert, key: certificate.key, minVersion: 'TLSv1.2' }, handle)
    : createHttpServer(handle)
  refuseMalformedRequests(server)

  // A long call's transcript, sent back by a desk that transcribed it, is the largest message.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 })
  const bySession = new Map<number, Set<WebSocket>>()
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    // A browser's socket must come from this server's own page (a WebSocket is not covered by CORS).
    const credential = credentialOf(req)
    const authenticated =
      credential && req.url === OFFICE_PATHS.ipc && (!credential.cookie || sameOrigin(req, scheme))
        ? access.authenticate(credential.token)
        : null
    void Promise.resolve(authenticated).then(
      (session) => upgrade(req, socket, head, session),
      (error: unknown) => {
        services.log.error(`office server: ${(error as Error).message}`)
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n')
      },
    )
  })
  const upgrade = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    session: Authenticated | null,
  ): void => {
    if (!session) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const open = bySession.get(session.sessionId) ?? new Set()
      bySession.set(session.sessionId, open.add(ws))
      ws.on('close', () => open.delete(ws))
      // Checked on every call too: a session revoked from the command line ends at its next request.
      answerContractCalls(
        ws,
        async (name, input, caller) => {
          if (await access.isActive(session.sessionId)) return dispatch(name, input, caller)
          ws.close(SIGNED_OUT_CLOSE_CODE, 'signed out')
          return { ok: false, error: { code: 'forbidden', message: 'signed out' } }
        },
        session.caller,
        services.log,
      )
    })
  }
  const unrevoked = access.onRevoked((sessionId) => {
    for (const ws of bySession.get(sessionId) ?? []) ws.close(SIGNED_OUT_CLOSE_CODE, 'signed out')
    bySession.delete(sessionId)
  })
  const unsubscribe = broadcastEvents(services.events, sockets)

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.listen.port, options.listen.host, () => resolve())
  })
  const bound = server.address()
  if (bound === null || typeof bound === 'string') throw new Error('the office server did not get a TCP port')
  address =
    options.address?.(bound.port) ??
    `${certificate ? 'https' : 'http'}://${options.listen.host}:${bound.port}`
  await services.start()
  if (moved) await queueUnfinished(services, moved)
  const leadership = options.postgres
    ? new SyncLeadership({ url: options.postgres, checkMs: options.syncLockCheckMs }, async (signal) => {
        await services.resumeSync()
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
        services.sync.stop()
      })
    : null
  leadership?.start()

  return {
    address,
    port: bound.port,
    services,
    async close() {
      unsubscribe()
      unrevoked()
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections?.()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await leadership?.stop()
      await services.close()
    },
  }
}

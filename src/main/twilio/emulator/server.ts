/**
 * A local Twilio: the parts of the 2010-04-01 REST API that CallScribe uses, with Twilio's JSON shapes,
 * paging, errors and media, plus fault injection. Tests, benchmarks and the demo workspace point the
 * real `twilio` SDK and the app's downloader at it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseRange } from '../../media/media-handler'
import {
  callJson,
  effectiveStatus,
  errorJson,
  recordingJson,
  type EmulatedCall,
  type EmulatedRecording,
} from './resources'

export type Fault =
  | { kind: 'status'; status: 401 | 403 | 404 | 429 | 500 | 503; retryAfterSec?: number }
  /** A captive portal or a proxy error page: 200 with HTML instead of audio. */
  | { kind: 'html' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'truncate'; afterBytes: number }
  | { kind: 'reset' }

export interface FaultRule {
  /** Matched against the request path (without query). */
  path: RegExp
  method?: string
  /** How many matching requests get the fault (default 1). */
  times?: number
  /** Let this many matching requests through first (default 0). */
  after?: number
  fault: Fault
}

export interface LoggedRequest {
  method: string
  path: string
  query: Record<string, string>
  status: number
  authorization: boolean
  range: string | null
}

export interface EmulatorOptions {
  accountSid: string
  authToken: string
  apiKeys?: { sid: string; secret: string }[]
  /** Serve media by redirecting to a second server on another origin (as Twilio does to its storage). */
  redirectMedia?: boolean
  now?: () => number
}

const API =
  /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/(Recordings|Calls)(?:\/((?:RE|CA)[0-9a-f]{32}))?(\.json|\.mp3|\.wav)?$/

const TRUNCATE_CLOSE_DELAY_MS = 300

export class TwilioEmulator {
  readonly calls = new Map<string, EmulatedCall>()
  readonly recordings = new Map<string, EmulatedRecording>()
  readonly log: LoggedRequest[] = []
  /** Requests to the media host that carried an Authorization header (must stay 0). */
  mediaHostAuthorizationHeaders = 0
  private readonly faults: (FaultRule & { left: number; skip: number })[] = []
  private readonly now: () => number
  private api: Server | undefined
  private mediaHost: Server | undefined
  origin = ''
  mediaOrigin = ''

  constructor(private readonly options: EmulatorOptions) {
    this.now = options.now ?? Date.now
  }

  addCall(call: EmulatedCall): void {
    this.calls.set(call.sid, call)
  }

  addRecording(recording: EmulatedRecording): void {
    this.recordings.set(recording.sid, recording)
  }

  inject(rule: FaultRule): void {
    this.faults.push({ ...rule, left: rule.times ?? 1, skip: rule.after ?? 0 })
  }

  clearFaults(): void {
    this.faults.length = 0
  }

  requestsTo(path: RegExp): LoggedRequest[] {
    return this.log.filter((entry) => path.test(entry.path))
  }

  async start(): Promise<this> {
    this.api = createServer((req, res) => void this.handleApi(req, res))
    this.origin = await listen(this.api)
    if (this.options.redirectMedia) {
      this.mediaHost = createServer((req, res) => this.handleMediaHost(req, res))
      this.mediaOrigin = await listen(this.mediaHost)
    }
    return this
  }

  async close(): Promise<void> {
    await Promise.all([this.api, this.mediaHost].map((server) => server && close(server)))
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization
    if (!header?.startsWith('Basic ')) return false
    const [user, password] = Buffer.from(header.slice(6), 'base64').toString().split(':')
    if (user === this.options.accountSid) return password === this.options.authToken
    return (this.options.apiKeys ?? []).some((key) => key.sid === user && key.secret === password)
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin)
    const query = Object.fromEntries(url.searchParams)
    const method = req.method ?? 'GET'
    const entry: LoggedRequest = {
      method,
      path: url.pathname,
      query,
      status: 0,
      authorization: Boolean(req.headers.authorization),
      range: req.headers.range ?? null,
    }
    this.log.push(entry)
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status
      const text = body === null ? '' : JSON.stringify(body)
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        ...headers,
      })
      res.end(text)
    }

    const fault = this.takeFault(method, url.pathname)
    if (fault?.kind === 'reset') {
      entry.status = -1
      return void req.socket.destroy()
    }
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
    if (fault?.kind === 'status') {
      const messages = {
        401: [20003, 'Authenticate'],
        403: [20403, 'Forbidden'],
        404: [20404, `The requested resource ${url.pathname} was not found`],
        429: [20429, 'Too Many Requests'],
        500: [20500, 'Internal Server Error'],
        503: [20503, 'Service Unavailable'],
      } as const
      const [code, message] = messages[fault.status]
      const headers: Record<string, string> =
        fault.retryAfterSec !== undefined ? { 'Retry-After': String(fault.retryAfterSec) } : {}
      return send(fault.status, errorJson(fault.status, code, message), headers)
    }

    if (!this.authorized(req)) return send(401, errorJson(401, 20003, 'Authenticate'))
    const match = API.exec(url.pathname)
    if (!match || match[1] !== this.options.accountSid) {
      return send(404, errorJson(404, 20404, `The requested resource ${url.pathname} was not found`))
    }
    const [, accountSid, collection, sid, extension] = match as unknown as [
      string,
      string,
      'Recordings' | 'Calls',
      string | undefined,
      string | undefined,
    ]
    const now = this.now()

    if (collection === 'Recordings' && sid) {
      const recording = this.recordings.get(sid)
      if (!recording) {
        return send(404, errorJson(404, 20404, `The requested resource ${url.pathname} was not found`))
      }
      if (extension === '.json' || (extension === undefined && method === 'DELETE')) {
        if (method === 'DELETE') {
          recording.status = 'deleted'
          recording.mp3 = recording.wav = recording.monoMp3 = undefined
          return send(204, null)
        }
        return send(200, recordingJson(accountSid, recording, now))
      }
      return this.sendMedia(
        req,
        res,
        entry,
        recording,
        extension === '.mp3' ? 'mp3' : 'wav',
        query['RequestedChannels'] === '2',
        fault,
      )
    }
    if (collection === 'Recordings') {
      const items = [...this.recordings.values()]
        .filter((r) => matchesDate(r.dateCreated, query, 'DateCreated'))
        .filter((r) => !query['CallSid'] || r.callSid === query['CallSid'])
        .filter((r) => r.status !== 'deleted' || query['IncludeSoftDeleted'] === 'true')
        .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime() || (a.sid < b.sid ? 1 : -1))
      return send(
        200,
        page(url, 'recordings', items, (r) => recordingJson(accountSid, r, now)),
      )
    }
    if (sid) {
      const call = this.calls.get(sid)
      if (!call)
        return send(404, errorJson(404, 20404, `The requested resource ${url.pathname} was not found`))
      return send(200, callJson(accountSid, call))
    }
    const items = [...this.calls.values()]
      .filter((c) => matchesDate(c.startTime, query, 'StartTime'))
      .filter((c) => !query['Status'] || c.status === query['Status'])
      .filter((c) => !query['From'] || c.from === query['From'])
      .filter((c) => !query['To'] || c.to === query['To'])
      .sort((a, b) => b.startTime.getTime() - a.startTime.getTime() || (a.sid < b.sid ? 1 : -1))
    return send(
      200,
      page(url, 'calls', items, (c) => callJson(accountSid, c)),
    )
  }

  private sendMedia(
    req: IncomingMessage,
    res: ServerResponse,
    entry: LoggedRequest,
    recording: EmulatedRecording,
    format: 'mp3' | 'wav',
    twoChannels: boolean,
    fault: Fault | undefined,
  ): void {
    const status = effectiveStatus(recording, this.now())
    const body =
      format === 'mp3' ? (twoChannels ? recording.mp3 : (recording.monoMp3 ?? recording.mp3)) : recording.wav
    if (status !== 'completed' || !body) {
      entry.status = 404
      const text = JSON.stringify(errorJson(404, 20404, `The requested resource ${entry.path} was not found`))
      return void res.writeHead(404, { 'Content-Type': 'application/json' }).end(text)
    }
    if (this.options.redirectMedia) {
      entry.status = 302
      const location = `${this.mediaOrigin}/media/${recording.sid}.${format}?channels=${twoChannels ? 2 : 1}&signature=emulated`
      return void res.writeHead(302, { Location: location }).end()
    }
    entry.status = serveBytes(req, res, body, format, fault)
  }

  private handleMediaHost(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers.authorization) this.mediaHostAuthorizationHeaders++
    const url = new URL(req.url ?? '/', this.mediaOrigin)
    const match = /^\/media\/(RE[0-9a-f]{32})\.(mp3|wav)$/.exec(url.pathname)
    const recording = match ? this.recordings.get(match[1] as string) : undefined
    const format = match?.[2] as 'mp3' | 'wav' | undefined
    const body =
      recording && format === 'mp3'
        ? url.searchParams.get('channels') === '2'
          ? recording.mp3
          : (recording.monoMp3 ?? recording.mp3)
        : recording?.wav
    if (!body || !format) return void res.writeHead(404).end()
    serveBytes(req, res, body, format, this.takeFault(req.method ?? 'GET', url.pathname))
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const rule = this.faults.find(
      (f) => f.left > 0 && f.path.test(path) && (!f.method || f.method === method),
    )
    if (!rule) return undefined
    if (rule.skip > 0) {
      rule.skip--
      return undefined
    }
    rule.left--
    return rule.fault
  }
}

function serveBytes(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  format: 'mp3' | 'wav',
  fault: Fault | undefined,
): number {
  const range = parseRange(req.headers.range ?? null, body.length)
  if (range === null) {
    res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end()
    return 416
  }
  if (fault?.kind === 'status') {
    res.writeHead(fault.status, { 'Content-Type': 'application/json' }).end('{"status":' + fault.status + '}')
    return fault.status
  }
  if (fault?.kind === 'html') {
    const page = '<!DOCTYPE html><html><body><h1>Sign in to the Wi-Fi</h1></body></html>'
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(page.length) })
      .end(page)
    return 200
  }
  const { start, end } = range ?? { start: 0, end: body.length - 1 }
  const headers: Record<string, string> = {
    'Content-Type': format === 'mp3' ? 'audio/mpeg' : 'audio/x-wav',
    'Content-Length': String(end - start + 1),
    'Accept-Ranges': 'bytes',
  }
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${body.length}`
  const status = range ? 206 : 200
  res.writeHead(status, headers)
  const slice = body.subarray(start, end + 1)
  if (fault?.kind === 'truncate') {
    // Promise the whole body, send part of it, then close the connection: an interrupted download. The
    // close waits a moment: a client drops the bytes it received but had not read yet when its stream
    // errors, so closing at once would make how much arrived depend on timing.
    res.write(slice.subarray(0, fault.afterBytes), () =>
      setTimeout(() => res.socket?.end(), TRUNCATE_CLOSE_DELAY_MS),
    )
    return status
  }
  res.end(slice)
  return status
}

/** Twilio's date filters are documented per day: compare calendar dates (UTC), inclusive. */
function matchesDate(value: Date, query: Record<string, string>, name: string): boolean {
  const day = value.toISOString().slice(0, 10)
  const on = query[name]
  const after = query[`${name}>`]
  const before = query[`${name}<`]
  if (on && day !== on.slice(0, 10)) return false
  if (after && day < after.slice(0, 10)) return false
  if (before && day > before.slice(0, 10)) return false
  return true
}

/** One page in Twilio's envelope; the next-page URI carries every filter plus a token after the last SID. */
function page<T extends { sid: string }>(url: URL, key: string, items: T[], toJson: (item: T) => unknown) {
  const pageSize = Math.min(1000, Math.max(1, Number(url.searchParams.get('PageSize') ?? 50)))
  const pageNumber = Number(url.searchParams.get('Page') ?? 0)
  const token = url.searchParams.get('PageToken')
  const startIndex = token
    ? items.findIndex((item) => item.sid === token.slice(2)) + 1
    : pageNumber * pageSize
  const slice = items.slice(startIndex, startIndex + pageSize)
  const uriWith = (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(url.searchParams)
    params.set('PageSize', String(pageSize))
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) params.delete(name)
      else params.set(name, value)
    }
    return `${url.pathname}?${params.toString()}`
  }
  const last = slice.at(-1)
  return {
    [key]: slice.map(toJson),
    uri: uriWith({}),
    first_page_uri: uriWith({ Page: '0', PageToken: null }),
    next_page_uri:
      last && startIndex + pageSize < items.length
        ? uriWith({ Page: String(pageNumber + 1), PageToken: `PA${last.sid}` })
        : null,
    previous_page_uri: pageNumber > 0 ? uriWith({ Page: String(pageNumber - 1), PageToken: null }) : null,
    page: pageNumber,
    page_size: pageSize,
    start: startIndex,
    end: startIndex + Math.max(0, slice.length - 1),
  }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  )
}

function close(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../src/host/server'
import { sendRaw } from '../helpers/raw-http'
import { tempDir } from '../helpers/temp'

/**
 * The browser host against requests no browser sends: raw bytes on a socket and malformed WebSocket
 * frames. Every one gets an answer (or a closed socket) and the host keeps serving afterwards.
 */
const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url))
let host: RunningHost

beforeAll(async () => {
  host = await startHost({ dataDir: tempDir(), rendererDir: RENDERER, demoAudioDir: null })
})
afterAll(() => host?.close())

const raw = (bytes: string | Buffer) => sendRaw(host.origin, bytes)
const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0)
const get = (target: string, extra = '') =>
  raw(`GET ${target} HTTP/1.1\r\nHost: ${new URL(host.origin).host}\r\n${extra}Connection: close\r\n\r\n`)

async function stillServes(): Promise<void> {
  const page = await fetch(host.url)
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('<div id="root">')
}

describe('the browser host against malformed HTTP', () => {
  it.each([
    ['a bad percent-escape in the path', () => get('/%E0%A4%A')],
    ['a bad percent-escape in a media path', () => get(`/media/%ZZ?token=${host.token}`)],
    ['an absolute-form target', () => get('http://example.com/index.html')],
    ['an asterisk target', () => get('*')],
    ['a protocol-relative target', () => get('//example.com/x')],
    ['a backslash that makes the target protocol-relative (found by the fuzzer)', () => get('/\\')],
    [
      'another Host (DNS rebinding)',
      () => raw('GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n'),
    ],
    ['no Host header', () => raw('GET / HTTP/1.1\r\nConnection: close\r\n\r\n')],
  ])('answers 400 to %s and keeps serving', async (_name, send) => {
    expect(statusOf(await send())).toBe(400)
    await stillServes()
  })

  it.each(['TRACE', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'PROPFIND'])(
    'answers %s with 405 (or 400) and keeps serving',
    async (method) => {
      const target = method === 'CONNECT' ? '127.0.0.1:1' : '/'
      const status = statusOf(
        await raw(
          `${method} ${target} HTTP/1.1\r\nHost: ${new URL(host.origin).host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        ),
      )
      expect([400, 405]).toContain(status)
      await stillServes()
    },
  )

  it('answers garbage and oversized headers with 400 or a closed socket, and keeps serving', async () => {
    for (const bytes of [
      'NOT HTTP AT ALL\r\n\r\n',
      Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]),
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: ${new URL(host.origin).host}\r\nConnection: close\r\n\r\n`,
    ]) {
      const response = await raw(bytes)
      expect(response === '' || [400, 404, 414, 431].includes(statusOf(response))).toBe(true)
    }
    await stillServes()
  })

  it('refuses media without the token and serves HEAD for the app page', async () => {
    expect(statusOf(await get('/media/RE0123.mp3'))).toBe(403)
    const head = await raw(
      `HEAD / HTTP/1.1\r\nHost: ${new URL(host.origin).host}\r\nConnection: close\r\n\r\n`,
    )
    expect(statusOf(head)).toBe(200)
  })
})

describe('the browser host against malformed WebSocket messages', () => {
  const ipc = () => `${host.origin.replace('http', 'ws')}/__callscribe/ipc?token=${host.token}`

  function open(): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(ipc(), { origin: host.origin })
      ws.on('open', () => resolve(ws))
      ws.on('error', reject)
    })
  }

  /** Sends one frame and resolves with the close code the host answered with. */
  async function closeCodeAfter(send: (ws: WebSocket) => void): Promise<number> {
    const ws = await open()
    return new Promise((resolve) => {
      ws.on('error', () => undefined)
      ws.on('close', (code) => resolve(code))
      send(ws)
    })
  }

  async function call(name: string, input: unknown): Promise<unknown> {
    const ws = await open()
    try {
      return await new Promise((resolve) => {
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as { id?: number; envelope?: unknown }
          if (message.id === 7) resolve(message.envelope)
        })
        ws.send(JSON.stringify({ id: 7, name, input }))
      })
    } finally {
      ws.close()
    }
  }

  it.each([
    ['JSON null', 'null'],
    ['a JSON string', '"calls.list"'],
    ['an array', '[1, "calls.list"]'],
    ['a number', '42'],
    ['no id', '{"name":"calls.list"}'],
    ['a fractional id', '{"id":1.5,"name":"calls.list"}'],
    ['a name that is not a string', '{"id":1,"name":{"toString":1}}'],
    ['not JSON', '{"id":'],
  ])('closes the socket on %s and keeps answering others', async (_name, text) => {
    expect(await closeCodeAfter((ws) => ws.send(text))).toBe(1003)
    expect(await call('app.info', {})).toMatchObject({ ok: true })
  })

  it('closes on a binary frame, an oversized frame and invalid UTF-8, and keeps answering', async () => {
    expect(
      await closeCodeAfter((ws) => ws.send(Buffer.from('{"id":1,"name":"app.info"}'), { binary: true })),
    ).toBe(1003)
    expect(await closeCodeAfter((ws) => ws.send('x'.repeat(2 * 1024 * 1024)))).toBe(1009)
    expect(
      await closeCodeAfter((ws) => ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false })),
    ).toBe(1007)
    expect(await call('app.info', {})).toMatchObject({ ok: true })
  })

  it('answers an unknown request and a prototype-named request with an error envelope', async () => {
    expect(await call('no.such.request', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    expect(await call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    expect(await call('constructor', null)).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
  })
})

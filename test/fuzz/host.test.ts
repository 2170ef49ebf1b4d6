import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../src/host/server'
import { requestNames } from '../../src/shared/contract'
import { FUZZ_RUNS, FUZZ_SEED, NASTY_STRINGS, anyValue, seeded, type Random } from '../helpers/fuzz'
import { sendRaw } from '../helpers/raw-http'
import { tempDir } from '../helpers/temp'

/**
 * The browser host under random HTTP requests and WebSocket frames: every one gets an answer or a
 * closed socket, and the host keeps serving the app and answering the contract.
 */
const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url))
let host: RunningHost
beforeAll(async () => {
  host = await startHost({ dataDir: tempDir(), rendererDir: RENDERER, demoAudioDir: null })
})
afterAll(() => host?.close())

const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'TRACE',
  'OPTIONS',
  'PUT',
  'DELETE',
  'PATCH',
  'CONNECT',
  'G\u00e9T',
  'get',
  '',
]
const TARGETS = [
  '/',
  '/index.html',
  '/media/',
  '/__callscribe/ipc',
  '/__callscribe/bridge.js',
  '*',
  'http://x/',
  '//x',
  '',
]

function randomTarget(random: Random): string {
  let target = random.pick(TARGETS)
  for (let i = random.int(4); i > 0; i--) {
    target += random.pick([
      '%',
      '%zz',
      '%00',
      '%2e%2e/',
      '../',
      '?token=',
      '#',
      ';',
      '\\',
      '%E0%A4%A',
      encodeURIComponent(random.pick(NASTY_STRINGS).replace(/[\ud800-\udfff]/g, '')),
    ])
  }
  return target
}

function randomRequest(random: Random): string {
  const hostHeader = random.chance(0.8)
    ? `Host: ${new URL(host.origin).host}\r\n`
    : random.pick(['', 'Host: evil\r\n', 'Host:\r\n'])
  const extra = Array.from({ length: random.int(3) }, () =>
    random.pick([
      'Range: bytes=0-',
      'Range: bytes=-1',
      'Range: bytes=999999999999-',
      'Range: bytes=5-1',
      'Range: garbage',
      'Content-Length: 5',
      'Content-Length: -1',
      'Transfer-Encoding: chunked',
      'Expect: 100-continue',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `X-${random.int(1000)}: ${random.pick(NASTY_STRINGS).replace(/[\r\n]/g, '')}`,
    ]),
  ).join('\r\n')
  return `${random.pick(METHODS)} ${randomTarget(random)} HTTP/1.${random.pick(['1', '0', '9'])}\r\n${hostHeader}${extra}${extra ? '\r\n' : ''}Connection: close\r\n\r\n`
}

const raw = (bytes: string) => sendRaw(host.origin, bytes)

async function appStillAnswers(): Promise<void> {
  expect((await fetch(host.url)).status).toBe(200)
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/__callscribe/ipc?token=${host.token}`, {
    origin: host.origin,
  })
  try {
    await new Promise((resolve, reject) => (ws.on('open', resolve), ws.on('error', reject)))
    const answer = await new Promise<unknown>((resolve) => {
      ws.on('message', (data) => resolve(JSON.parse(String(data))))
      ws.send(JSON.stringify({ id: 1, name: 'app.info', input: {} }))
    })
    expect(answer).toMatchObject({ id: 1, envelope: { ok: true } })
  } finally {
    ws.close()
  }
}

describe(`the browser host under fuzzing (seed ${FUZZ_SEED})`, () => {
  it('answers random HTTP requests and keeps serving', async () => {
    const random = seeded(FUZZ_SEED)
    for (let i = 0; i < FUZZ_RUNS * 10; i++) {
      const response = await raw(randomRequest(random))
      if (response) expect(response).toMatch(/^HTTP\/1\.[01] \d{3} /)
    }
    await appStillAnswers()
  })

  it('answers random WebSocket messages (or closes that socket) and keeps serving', async () => {
    const random = seeded(FUZZ_SEED + 1)
    const ws = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(
          `${host.origin.replace('http', 'ws')}/__callscribe/ipc?token=${host.token}`,
          {
            origin: host.origin,
          },
        )
        socket.on('open', () => resolve(socket))
        socket.on('error', reject)
      })
    let socket = await ws()
    for (let i = 0; i < FUZZ_RUNS * 10; i++) {
      if (socket.readyState !== WebSocket.OPEN) socket = await ws()
      const message = random.chance(0.7)
        ? {
            id: random.chance(0.9) ? i : anyValue(random),
            name: random.chance(0.8) ? random.pick(requestNames) : anyValue(random),
            input: anyValue(random),
          }
        : anyValue(random)
      let text: string
      try {
        text = random.chance(0.9) ? (JSON.stringify(message) ?? 'undefined') : random.pick(NASTY_STRINGS)
      } catch {
        text = String(message)
      }
      const answered = new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer)
          socket.off('message', finish)
          socket.off('close', finish)
          resolve()
        }
        const timer = setTimeout(finish, 3000)
        socket.on('message', finish)
        socket.on('close', finish)
      })
      socket.send(text)
      await answered
    }
    socket.close()
    await appStillAnswers()
  })
})

import { mkdirSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { CallListPage } from '../../src/shared/types'
import { Store } from '../../src/main/store'
import type { RunningOfficeServer } from '../../src/server/office-server'
import { browserDevice } from '../../src/server/browser-access'
import { audioFixture } from '../helpers/fixtures'
import { makeRecordingReady, seedCall, sid } from '../helpers/seed'
import { startTestOffice } from '../helpers/office'
import { tempDir } from '../helpers/temp'

/**
 * A browser at the office server, as the server sees it over TLS: a pairing code becomes a session cookie
 * only the server can read, and that cookie opens the office's data only for the server's own pages.
 */
let server: RunningOfficeServer
let origin: string
const recordingSid = sid('RE', 'browser-call')

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One HTTPS request to the test server (its self-signed certificate accepted, as a person would). */
function call(
  method: string,
  path: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${origin}${path}`,
      { method, headers, rejectUnauthorized: false, agent: false },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const signIn = (code: string, from = origin) =>
  call('POST', '/__callscribe/sign-in', {
    headers: { 'Content-Type': 'application/json', Origin: from, 'User-Agent': CHROME_ON_WINDOWS },
    body: JSON.stringify({ code }),
  })
const CHROME_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** The cookie a successful sign-in set, as the browser sends it back. */
async function signedIn(name: string): Promise<string> {
  const { code } = await server.services.officeAccess!.invite(name, 'staff')
  const answer = await signIn(code)
  expect(answer.status).toBe(200)
  const setCookie = String(answer.headers['set-cookie'])
  return setCookie.split(';')[0] as string
}

/** Opens the contract socket as a browser would, and lists the calls through it. */
function listCalls(cookie: string, from: string): Promise<CallListPage | string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${origin.replace('https', 'wss')}/__callscribe/ipc`, {
      headers: { Cookie: cookie, Origin: from },
      rejectUnauthorized: false,
    })
    socket.on('open', () => socket.send(JSON.stringify({ id: 1, name: 'calls.list', input: {} })))
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; envelope?: { value: CallListPage } }
      if (message.id !== 1) return
      socket.close()
      resolve(message.envelope!.value)
    })
    socket.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`))
    socket.on('error', () => resolve('error'))
  })
}

beforeAll(async () => {
  const dir = tempDir()
  mkdirSync(join(dir, 'recordings'), { recursive: true })
  const store = Store.open(join(dir, 'callscribe.db'))
  store.settings.set('workspace', 'twilio')
  seedCall(store, 'browser-call', { from: '+14155550123', startTime: Date.UTC(2026, 10, 24, 15, 30) })
  makeRecordingReady(store, join(dir, 'recordings'), recordingSid, audioFixture('plumbing-en-dual.mp3'))
  store.close()
  server = await startTestOffice(dir)
  origin = server.address
})

afterAll(async () => {
  await server?.close()
})

describe('a browser at the office server', () => {
  it('gets the app’s page without a session, and nothing of the office’s', async () => {
    const page = await call('GET', '/')
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'")
    expect(page.body).toContain('/__callscribe/bridge.js')
    expect((await call('GET', '/__callscribe/bridge.js')).status).toBe(200)
    expect((await call('GET', '/__callscribe/session')).status).toBe(401)
    expect((await call('GET', `/media/${recordingSid}`)).status).toBe(401)
    expect(await listCalls('', origin)).toBe('refused 401')
  })

  it('signs in with a pairing code: a cookie the page cannot read, for this server only', async () => {
    const { code } = await server.services.officeAccess!.invite('Dana', 'staff')
    const answer = await signIn(code.toLowerCase())
    expect(answer.status).toBe(200)
    const setCookie = String(answer.headers['set-cookie'])
    expect(setCookie).toMatch(
      /^__Host-callscribe-session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Secure$/,
    )
    const cookie = setCookie.split(';')[0] as string
    expect((await call('GET', '/__callscribe/session', { headers: { Cookie: cookie } })).status).toBe(204)
    // The office's people list names the browser.
    const dana = (await server.services.officeAccess!.people()).people.find((p) => p.name === 'Dana')
    expect(dana?.sessions.map((s) => s.device)).toEqual(['Chrome · Windows'])
    // The code worked once.
    expect((await signIn(code)).status).toBe(403)
  })

  it('a wrong code is refused with the reason; a code sent from another site is refused outright', async () => {
    const wrong = await signIn('AAAAA-BBBBB')
    expect(wrong.status).toBe(403)
    expect(JSON.parse(wrong.body)).toMatchObject({
      ok: false,
      error: { notice: { code: 'office.code-invalid' } },
    })
    const { code } = await server.services.officeAccess!.invite('Mallory', 'staff')
    expect((await signIn(code, 'https://evil.example')).status).toBe(403)
    expect(
      (
        await call('POST', '/__callscribe/sign-in', {
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ code }),
        })
      ).status,
    ).toBe(403)
    // Not spent by the refused attempts: the right page still signs in with it.
    expect((await signIn(code)).status).toBe(200)
  })

  it('the cookie opens the contract and the recordings from the server’s own page only', async () => {
    const cookie = await signedIn('Noa')
    const page = await listCalls(cookie, origin)
    expect(typeof page === 'string' ? page : page.items.map((item) => item.from)).toEqual(['+14155550123'])
    expect(await listCalls(cookie, 'https://evil.example')).toBe('refused 401')
    const audio = await call('GET', `/media/${recordingSid}`, {
      headers: { Cookie: cookie, Range: 'bytes=0-99' },
    })
    expect(audio.status).toBe(206)
  })

  it('signs out: only from its own page, and the cookie is worthless afterwards', async () => {
    const cookie = await signedIn('Ori')
    const signOut = (from: string) =>
      call('POST', '/__callscribe/signout', { headers: { Cookie: cookie, Origin: from } })
    expect((await signOut('https://evil.example')).status).toBe(403)
    expect((await call('GET', '/__callscribe/session', { headers: { Cookie: cookie } })).status).toBe(204)
    const out = await signOut(origin)
    expect(out.status).toBe(204)
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0')
    expect((await call('GET', '/__callscribe/session', { headers: { Cookie: cookie } })).status).toBe(401)
    expect(await listCalls(cookie, origin)).toBe('refused 401')
  })
})

describe('how a browser is listed among a person’s devices', () => {
  it('by its name and system, never a sentence', () => {
    expect(browserDevice(CHROME_ON_WINDOWS)).toBe('Chrome · Windows')
    expect(
      browserDevice(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari · iPhone')
    expect(browserDevice('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe(
      'Firefox · Linux',
    )
    expect(browserDevice(undefined)).toBe('HTTP')
  })
})

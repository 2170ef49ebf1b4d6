import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startOfficeServer, type RunningOfficeServer } from '../../src/server/office-server'
import { deskProof } from '../../src/main/office/pairing'
import { sendRaw } from '../helpers/raw-http'
import { tempDir } from '../helpers/temp'

let server: RunningOfficeServer
let token: string

const post = (path: string, body: string, headers = '') =>
  sendRaw(
    server.address,
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}Connection: close\r\n\r\n${body}`,
  )
const status = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1])

beforeAll(async () => {
  // Plain HTTP on loopback: what the config allows without TLS (the pairing proof then binds to '').
  server = await startOfficeServer({
    dataDir: tempDir(),
    listen: { host: '127.0.0.1', port: 0 },
    certificate: null,
    demoAudioDir: null,
  })
  const { code } = await server.services.officeAccess!.invite('Dana', 'staff')
  const paired = await fetch(`${server.address}/__callscribe/pair`, {
    method: 'POST',
    body: JSON.stringify({ proof: deskProof(code, ''), device: 'test' }),
  })
  token = ((await paired.json()) as { value: { token: string } }).value.token
})

afterAll(async () => {
  await server?.close()
})

describe('the office server under hostile requests', () => {
  // The app's own page and scripts are public (a browser loads them to sign in): browser-sessions.test.ts.
  it('answers nothing of the office’s without a session, whatever is asked', async () => {
    for (const request of [
      'GET /__callscribe/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET /media/RE00000000000000000000000000000000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET /__callscribe/model/abc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-a-real-session-token-at-all\r\nConnection: close\r\n\r\n',
      'DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'POST /__callscribe/signout HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    ])
      expect(status(await sendRaw(server.address, request))).toBe(401)
  })

  it('refuses malformed, oversized and wrong pairing requests with the right status', async () => {
    expect(status(await post('/__callscribe/pair', 'not json'))).toBe(400)
    expect(status(await post('/__callscribe/pair', JSON.stringify({ proof: 'x' })))).toBe(400)
    expect(
      status(await post('/__callscribe/pair', JSON.stringify({ proof: 'x'.repeat(5000), device: 'd' }))),
    ).toBe(413)
    const wrong = await post('/__callscribe/pair', JSON.stringify({ proof: 'wrong', device: 'd' }))
    expect(status(wrong)).toBe(403)
    expect(wrong).toContain('office.code-invalid')
  })

  it('a session opens the contract socket only at its path; a bad frame closes that socket only', async () => {
    const open = (path: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${new URL(server.address).port}${path}`, {
          headers: { Authorization: `Bearer ${token}` },
        })
        socket.on('open', () => {
          socket.send('{not json')
          socket.on('close', (code) => resolve(`closed ${code}`))
        })
        socket.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
        socket.on('error', () => resolve('error'))
      })
    expect(await open('/__callscribe/ipc?x=1')).toBe('401')
    expect(await open('/somewhere')).toBe('401')
    expect(await open('/__callscribe/ipc')).toBe('closed 1003')
    // Still serving: the session works for the next request.
    const media = await sendRaw(
      server.address,
      `GET /media/RE00000000000000000000000000000000 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    )
    expect(status(media)).toBe(404)
  })

  it('stops answering pairing attempts after ten wrong codes in a minute', async () => {
    let last = 0
    for (let i = 0; i < 12; i++)
      last = status(await post('/__callscribe/pair', JSON.stringify({ proof: `guess-${i}`, device: 'd' })))
    expect(last).toBe(429)
    // Only that computer: another one in the office still pairs.
    const access = server.services.officeAccess!
    const { code } = await access.invite('Ori', 'staff')
    await expect(access.pair(deskProof(code, ''), 'laptop', '127.0.0.1')).rejects.toThrow(
      expect.objectContaining({ notice: { code: 'office.too-many-attempts' } }),
    )
    expect(await access.pair(deskProof(code, ''), 'laptop', '10.0.0.7')).toMatchObject({ person: 'Ori' })
  })
})

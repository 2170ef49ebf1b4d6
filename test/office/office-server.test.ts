import { readFileSync, mkdirSync } from 'node:fs'
import { connect as tlsConnect, createServer as createTlsServer, type Server } from 'node:tls'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventName } from '../../src/shared/contract'
import type {
  CallDetail,
  CallListPage,
  OfficeInviteResult,
  OfficePeopleView,
  OfficeStatus,
} from '../../src/shared/types'
import type { Services } from '../../src/main/services'
import { Store } from '../../src/main/store'
import type { RunningOfficeServer } from '../../src/server/office-server'
import { selfSignedCertificate } from '../../src/server/tls'
import { audioFixture } from '../helpers/fixtures'
import { makeRecordingReady, seedCall, sid, transcriptOf } from '../helpers/seed'
import { createTestServices, dispatch, waitFor } from '../helpers/services'
import { tempDir } from '../helpers/temp'
import { startTestOffice } from '../helpers/office'

let server: RunningOfficeServer
let serverDir: string
const desks: Services[] = []
const recordingSid = sid('RE', 'office-plumbing')
const callSid = sid('CA', 'office-plumbing')

async function ok<T>(services: Services, name: string, input: unknown = {}): Promise<T> {
  const answer = await dispatch(services, name, input)
  if (!answer.ok) throw Object.assign(new Error(answer.error.message), { notice: answer.error.notice })
  return answer.value as T
}

/** Invites a person at the server (as its admin would) and returns the code. */
function invite(name: string, role: 'admin' | 'staff'): Promise<OfficeInviteResult> {
  return server.services.officeAccess!.invite(name, role)
}

async function newDesk(): Promise<{ desk: Services; events: { name: EventName; payload: unknown }[] }> {
  const { services: desk } = createTestServices(tempDir(), { deskRetryMs: 200 })
  await desk.start()
  desks.push(desk)
  const events: { name: EventName; payload: unknown }[] = []
  desk.events.subscribe((name, payload) => events.push({ name, payload }))
  return { desk, events }
}

async function joinedDesk(name: string, role: 'admin' | 'staff') {
  const made = await newDesk()
  const status = await ok<OfficeStatus>(made.desk, 'office.connect', {
    address: server.address,
    code: (await invite(name, role)).code,
  })
  expect(status).toMatchObject({ kind: 'desk', person: name, role })
  await waitFor(
    () =>
      made.desk.desk!.status().kind === 'desk' &&
      (made.desk.desk!.status() as { state: string }).state === 'connected',
    'the desk to connect',
  )
  return made
}

beforeAll(async () => {
  serverDir = tempDir()
  mkdirSync(join(serverDir, 'recordings'), { recursive: true })
  const store = Store.open(join(serverDir, 'callscribe.db'))
  store.settings.set('workspace', 'twilio')
  seedCall(store, 'office-plumbing', {
    from: '+14155550123',
    startTime: Date.UTC(2026, 10, 24, 15, 30),
    transcript: transcriptOf(['The boiler is leaking again', 'We will send a plumber tomorrow']),
  })
  makeRecordingReady(store, join(serverDir, 'recordings'), recordingSid, audioFixture('plumbing-en-dual.mp3'))
  store.close()
  server = await startTestOffice(serverDir)
})

afterAll(async () => {
  for (const desk of desks) await desk.close()
  await server?.close()
})

describe('desks of the office (callscribe-server over TLS with a self-signed certificate)', () => {
  it('a desk joins with a pairing code and sees the office library, not its own', async () => {
    const { desk } = await joinedDesk('Dana', 'staff')
    const page = await ok<CallListPage>(desk, 'calls.list', { limit: 10 })
    expect(page.items.map((item) => item.callSid)).toEqual([callSid])
    const hits = await ok<{ callSid: string }[]>(desk, 'search.query', { text: 'plumber' })
    expect(hits.map((hit) => hit.callSid)).toEqual([callSid])
  })

  it('plays a recording from the server with the player’s byte range', async () => {
    const { desk } = await joinedDesk('Ori', 'staff')
    const whole = readFileSync(join(serverDir, 'recordings', `${recordingSid}.mp3`))
    const response = await desk.media(
      new Request(`http://desk/media/${recordingSid}`, { headers: { range: 'bytes=100-1099' } }),
    )
    expect(response.status).toBe(206)
    expect(response.headers.get('content-range')).toBe(`bytes 100-1099/${whole.length}`)
    expect(Buffer.from(await response.arrayBuffer())).toEqual(whole.subarray(100, 1100))
  })

  it('a note, a flag and an assignment made at one desk reach the other at once, with who made them', async () => {
    const first = await joinedDesk('Noa', 'staff')
    const second = await joinedDesk('Admin', 'admin')
    const before = second.events.length
    const detail = await ok<CallDetail>(first.desk, 'calls.review', {
      callSid,
      followUp: true,
      note: 'לחזור ללקוח ביום ראשון',
      assignee: 'Noa',
    })
    expect(detail.review).toMatchObject({ followUp: true, assignee: 'Noa', updatedBy: 'Noa' })
    await waitFor(
      () => second.events.slice(before).some((e) => e.name === 'calls.changed'),
      'the other desk to hear of the change',
    )
    const seen = await ok<CallDetail>(second.desk, 'calls.get', { callSid })
    expect(seen.review).toMatchObject({ note: 'לחזור ללקוח ביום ראשון', followUp: true, updatedBy: 'Noa' })
    const listed = await ok<CallListPage>(second.desk, 'calls.list', { limit: 10, followUp: true })
    expect(listed.items[0]).toMatchObject({ callSid, assignee: 'Noa', hasNote: true, followUp: true })
  })

  it('staff cannot change what the office shares; an admin can, and manages people', async () => {
    const staff = await joinedDesk('Tal', 'staff')
    const refused = await dispatch(staff.desk, 'twilio.clearCredentials', {})
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', notice: { code: 'office.forbidden' } },
    })
    expect(await dispatch(staff.desk, 'office.people', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    // Staff see who is in the office (to assign a call), not their devices.
    const { names } = await ok<{ names: string[] }>(staff.desk, 'office.names')
    expect(names).toEqual(expect.arrayContaining(['Tal', 'Dana']))
    const admin = await joinedDesk('Rina', 'admin')
    const people = await ok<OfficePeopleView>(admin.desk, 'office.people')
    expect(people.people.find((person) => person.name === 'Tal')).toMatchObject({ role: 'staff' })
    const made = await ok<OfficeInviteResult>(admin.desk, 'office.invite', { name: 'Yael', role: 'staff' })
    expect(made.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    expect(made.address).toBe(server.address)
  })

  it('a revoked desk is signed out at once and says so; its requests are refused', async () => {
    const revoked = await joinedDesk('Gil', 'staff')
    const admin = await joinedDesk('Boss', 'admin')
    const people = await ok<OfficePeopleView>(admin.desk, 'office.people')
    const session = people.people.find((person) => person.name === 'Gil')!.sessions[0]!
    await ok(admin.desk, 'office.revoke', { sessionId: session.id })
    await waitFor(
      () => (revoked.desk.desk!.status() as { state?: string }).state === 'signed-out',
      'the desk to be signed out',
    )
    expect(revoked.desk.desk!.status()).toMatchObject({ problem: { code: 'office.signed-out' } })
    expect(await dispatch(revoked.desk, 'calls.list', { limit: 1 })).toMatchObject({
      ok: false,
      error: { notice: { code: 'office.signed-out' } },
    })
    // Leaving returns the desk to its own library.
    expect(await ok<OfficeStatus>(revoked.desk, 'office.disconnect')).toEqual({ kind: 'desktop' })
    expect((await ok<CallListPage>(revoked.desk, 'calls.list', { limit: 10 })).items).toEqual([])
  })

  it('a pairing code works once, a wrong or expired one is refused with the reason', async () => {
    const { desk } = await newDesk()
    const { code } = await invite('Lior', 'staff')
    await ok(desk, 'office.connect', { address: server.address, code })
    await ok(desk, 'office.disconnect')
    for (const attempt of [code, 'AAAAA-BBBBB']) {
      expect(
        await dispatch(desk, 'office.connect', { address: server.address, code: attempt }),
      ).toMatchObject({
        ok: false,
        error: { notice: { code: 'office.code-invalid', params: { minutes: 15 } } },
      })
    }
  })

  it('pairing through an impostor that relays to the real server fails: the code is bound to the certificate', async () => {
    const impostorDir = tempDir()
    const impostorCert = await selfSignedCertificate(impostorDir)
    const target = new URL(server.address)
    const impostor: Server = createTlsServer({ cert: impostorCert.cert, key: impostorCert.key }, (client) => {
      const upstream = tlsConnect({
        host: target.hostname,
        port: Number(target.port),
        rejectUnauthorized: false,
      })
      client.pipe(upstream).pipe(client)
      client.on('error', () => upstream.destroy())
      upstream.on('error', () => client.destroy())
    })
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve))
    try {
      const port = (impostor.address() as { port: number }).port
      const { desk } = await newDesk()
      const { code } = await invite('Victim', 'admin')
      const answer = await dispatch(desk, 'office.connect', { address: `https://127.0.0.1:${port}`, code })
      expect(answer).toMatchObject({ ok: false, error: { notice: { code: 'office.code-invalid' } } })
      // The code was not used up by the impostor: the real server still takes it.
      await ok(desk, 'office.connect', { address: server.address, code })
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()))
    }
  })

  it('refuses every request without a session', async () => {
    const response = await new Promise<number>((resolve, reject) => {
      const target = new URL(server.address)
      const socket = tlsConnect(
        { host: target.hostname, port: Number(target.port), rejectUnauthorized: false },
        () => {
          socket.write(
            `GET /media/${recordingSid} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`,
          )
        },
      )
      let text = ''
      socket.on('data', (chunk) => (text += chunk))
      socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1])))
      socket.on('error', reject)
    })
    expect(response).toBe(401)
  })
})

describe('a desk’s connection to the server it paired with', () => {
  it('refuses a server whose certificate is not the one pinned, before sending anything', async () => {
    const { connectToServer } = await import('../../src/main/office/desk/pinned-connection')
    const address = new URL(server.address)
    const { socket, fingerprint } = await connectToServer(address, null)
    socket.destroy()
    expect(fingerprint).toBe((await selfSignedCertificate(serverDir)).fingerprint)
    await expect(connectToServer(address, 'ab'.repeat(32))).rejects.toMatchObject({
      notice: { code: 'office.server-identity', params: { address: address.origin } },
    })
  })
})

describe('a desk while the server restarts', () => {
  it('a request made while the desk reconnects waits for it instead of failing', async () => {
    const { desk } = await joinedDesk('Uri', 'staff')
    const { port } = server
    await server.close()
    await waitFor(
      () => (desk.desk!.status() as { state?: string }).state === 'connecting',
      'the desk to notice',
    )
    const answer = dispatch(desk, 'calls.list', { limit: 10 })
    server = await startTestOffice(serverDir, { listen: { host: '127.0.0.1', port } })
    expect(await answer).toMatchObject({ ok: true, value: { items: [{ callSid }] } })
  })
})

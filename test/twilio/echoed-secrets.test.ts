import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CREDENTIALS, API_KEY } from '../helpers/twilio'
import { createTestServices, waitFor, dispatch } from '../helpers/services'
import { tempDir } from '../helpers/temp'

/**
 * An upstream that echoes the request's credentials in its error (proxies and misconfigured gateways
 * do): whatever it says must not reach the renderer, through a request's answer or an event.
 */
let server: Server
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

async function echoingUpstream(): Promise<string> {
  server = createServer((req, res) => {
    res.writeHead(400, { 'Content-Type': 'application/json' })
    res.end(
      JSON.stringify({
        code: 20001,
        status: 400,
        message: `Bad request: Authorization: ${req.headers.authorization}; secret ${API_KEY.secret}`,
        more_info: 'https://www.twilio.com/docs/errors/20001',
      }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('secrets echoed by an upstream error', () => {
  it('never reach a test-connection answer or a sync.status event', async () => {
    const origin = await echoingUpstream()
    const { services } = createTestServices(tempDir(), { twilioApiOrigin: origin })
    const sent: string[] = []
    services.events.subscribe((name, payload) => sent.push(JSON.stringify({ name, payload })))
    try {
      const basic = Buffer.from(`${API_KEY.sid}:${API_KEY.secret}`).toString('base64')
      const tested = JSON.stringify(
        await dispatch(services, 'twilio.testConnection', { credentials: CREDENTIALS }),
      )
      expect(tested).toContain('Bad request') // the upstream's words do arrive…
      expect(tested).not.toContain(API_KEY.secret) // …without its secrets
      expect(tested).not.toContain(basic)

      await services.start()
      await dispatch(services, 'twilio.saveCredentials', { credentials: CREDENTIALS })
      await waitFor(() => services.sync.status().lastError !== null, 'the failed sync')
      await dispatch(services, 'sync.now', {}).then((answer) => sent.push(JSON.stringify(answer)))
      const all = sent.join('\n')
      expect(all).toContain('Bad request')
      expect(all).not.toContain(API_KEY.secret)
      expect(all).not.toContain(basic)
    } finally {
      await services.close()
    }
  })
})

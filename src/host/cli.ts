import { mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startHost } from './server'
import type { TwilioCredentials } from '../main/twilio/credentials'

const { values } = parseArgs({
  options: {
    'data-dir': {
      type: 'string',
      default: process.env['CALLSCRIBE_DATA_DIR'] ?? join(homedir(), '.callscribe-host'),
    },
    port: { type: 'string', default: process.env['CALLSCRIBE_HOST_PORT'] ?? '0' },
    config: { type: 'string' },
    demo: { type: 'boolean', default: false },
  },
})

interface HostConfig {
  twilio?: {
    accountSid?: string
    apiKeySid?: string
    apiKeySecret?: string
    authToken?: string
    apiOrigin?: string
  }
}

/** Twilio settings for the host: its config file first, then TWILIO_* environment variables. */
function twilioFromConfig(config: HostConfig): {
  credentials: TwilioCredentials | null
  apiOrigin: string | undefined
} {
  const env = process.env
  const accountSid = config.twilio?.accountSid ?? env['TWILIO_ACCOUNT_SID']
  const keySid = config.twilio?.apiKeySid ?? env['TWILIO_API_KEY']
  const keySecret = config.twilio?.apiKeySecret ?? env['TWILIO_API_SECRET']
  const authToken = config.twilio?.authToken ?? env['TWILIO_AUTH_TOKEN']
  const apiOrigin = config.twilio?.apiOrigin ?? env['CALLSCRIBE_TWILIO_API_ORIGIN']
  if (!accountSid) return { credentials: null, apiOrigin }
  if (keySid && keySecret)
    return { credentials: { accountSid, auth: { kind: 'api-key', keySid, keySecret } }, apiOrigin }
  if (authToken) return { credentials: { accountSid, auth: { kind: 'auth-token', authToken } }, apiOrigin }
  throw new Error(
    'TWILIO_ACCOUNT_SID is set but neither TWILIO_API_KEY + TWILIO_API_SECRET nor TWILIO_AUTH_TOKEN is',
  )
}

const dataDir = resolve(values['data-dir'])
mkdirSync(dataDir, { recursive: true })
const config = values.config ? (JSON.parse(readFileSync(values.config, 'utf8')) as HostConfig) : {}
const twilio = twilioFromConfig(config)
const host = await startHost({
  dataDir,
  port: Number(values.port),
  twilioCredentials: twilio.credentials,
  twilioApiOrigin: twilio.apiOrigin,
})
if (values.demo && host.services.workspace.mode === null) await host.services.workspace.startDemo()
console.info(`CallScribe browser host (data in ${dataDir})`)
console.info(`Open: ${host.url}`)

const shutdown = (): void => {
  void host.close().finally(() => process.exit(0))
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)

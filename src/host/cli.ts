import { mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startHost } from './server'
import { twilioFromConfig, type HostConfig } from './twilio-config'

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

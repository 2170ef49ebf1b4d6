import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startHost } from './server'

const { values } = parseArgs({
  options: {
    'data-dir': {
      type: 'string',
      default: process.env['CALLSCRIBE_DATA_DIR'] ?? join(homedir(), '.callscribe-host'),
    },
    port: { type: 'string', default: process.env['CALLSCRIBE_HOST_PORT'] ?? '0' },
  },
})

const dataDir = resolve(values['data-dir'])
mkdirSync(dataDir, { recursive: true })
const host = await startHost({ dataDir, port: Number(values.port) })
console.info(`CallScribe browser host (data in ${dataDir})`)
console.info(`Open: ${host.url}`)

const shutdown = (): void => {
  void host.close().finally(() => process.exit(0))
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)

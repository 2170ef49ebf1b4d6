/**
 * One desk of the office bench, in its own process: joins the office server with a pairing code, offers its
 * CPU (one transcription thread, like the pg-boss series' workers) and transcribes until killed.
 *   node --import tsx bench/office/desk.ts DATA_DIR ADDRESS CODE
 * Prints "ready" once it is connected and waiting for work.
 */
import { createRequestDispatcher } from '../../src/main/handlers'
import { MemorySecretStore } from '../../src/main/secrets/secret-store'
import { Services } from '../../src/main/services'
import type { OfficeStatus } from '../../src/shared/types'

const [dataDir = '', address = '', code = ''] = process.argv.slice(2)
const services = new Services({
  dataDir,
  transport: 'browser-host',
  version: 'bench',
  secrets: new MemorySecretStore(),
  demoAudioDir: null,
  deskWork: { idleMs: 200 },
})
services.store.settings.update('transcription', { threads: 1 })
await services.start()
let ready = false
services.events.subscribe((name, payload) => {
  const status = payload as OfficeStatus
  if (!ready && name === 'office.status' && status.kind === 'desk' && status.work.state === 'waiting') {
    ready = true
    process.stdout.write('ready\n')
  }
})
const dispatch = createRequestDispatcher(services)
for (const [name, input] of [
  ['office.connect', { address, code }],
  ['office.offerWork', { enabled: true }],
] as const) {
  const answer = await dispatch(name, input)
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`)
}

/**
 * A desk of the office as a child process the tests can SIGKILL mid-transcription:
 *   desk-child DATA_DIR ADDRESS CODE
 * joins the office with the code, offers its CPU, and prints "working" when it has taken a job.
 */
import { createRequestDispatcher } from '../../src/main/handlers'
import { MemorySecretStore } from '../../src/main/secrets/secret-store'
import { Services } from '../../src/main/services'
import type { OfficeStatus } from '../../src/shared/types'

const [dataDir = '', address = '', code = ''] = process.argv.slice(2)
const services = new Services({
  dataDir,
  transport: 'browser-host',
  version: 'test',
  secrets: new MemorySecretStore(),
  demoAudioDir: null,
  deskWork: { idleMs: 100 },
})
await services.start()
const dispatch = createRequestDispatcher(services)
services.events.subscribe((name, payload) => {
  const status = payload as OfficeStatus
  if (name === 'office.status' && status.kind === 'desk' && status.work.state === 'working')
    process.stdout.write('working\n')
})
const joined = await dispatch('office.connect', { address, code })
if (!joined.ok) throw new Error(joined.error.message)
const offered = await dispatch('office.offerWork', { enabled: true })
if (!offered.ok) throw new Error(offered.error.message)

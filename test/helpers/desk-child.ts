/**
 * A desk of the office as a child process (the tests SIGKILL it mid-transcription; the office bench runs
 * several): joins the office with the code, offers its CPU and prints each state its work enters
 * ("waiting", "working", …).
 *   desk-child DATA_DIR ADDRESS CODE [THREADS]
 */
import type { OfficeStatus } from '../../src/shared/types'
import { createTestServices, dispatch, storeOf } from './services'

const [dataDir = '', address = '', code = '', threads] = process.argv.slice(2)
const { services } = createTestServices(dataDir, { deskWork: { idleMs: 100, lowPriority: false } })
if (threads) storeOf(services).settings.update('transcription', { threads: Number(threads) })
await services.start()
let said = ''
services.events.subscribe((name, payload) => {
  const status = payload as OfficeStatus
  if (name !== 'office.status' || status.kind !== 'desk' || status.work.state === said) return
  said = status.work.state
  process.stdout.write(`${said}\n`)
})
for (const [name, input] of [
  ['office.connect', { address, code }],
  ['office.offerWork', { enabled: true }],
] as const) {
  const answer = await dispatch(services, name, input)
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`)
}

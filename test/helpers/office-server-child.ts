/**
 * An office server as a child process, on a PostgreSQL library (the tests SIGKILL it mid-sync to prove
 * another server takes over): prints "ready" once it serves.
 *   office-server-child DATA_DIR POSTGRES_URL TWILIO_ORIGIN
 */
import { startTestOffice } from './office'
import { CREDENTIALS } from './twilio'

const [dataDir = '', postgres = '', twilioApiOrigin = ''] = process.argv.slice(2)
await startTestOffice(dataDir, {
  postgres,
  twilioApiOrigin,
  twilioCredentials: CREDENTIALS,
  transcribeOnServer: false,
  syncLockCheckMs: 200,
  leaseMs: 2000,
})
process.stdout.write('ready\n')

import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { logText, NoticeError } from '../shared/notice'
import { ModelManager } from '../main/transcription/models/model-manager'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ROLES, type Role } from '../shared/access'
import { OfficeAccess } from '../main/office/access'
import { twilioFromConfig } from '../host/twilio-config'
import { readServerConfig, serverAddress, type ServerConfig } from './config'
import type { Library } from '../main/store/library'
import { libraryName, openOfficeLibrary, startOfficeServer } from './office-server'
import { readCertificate, selfSignedCertificate, type ServerCertificate } from './tls'

const USAGE = `callscribe-server: the office library for CallScribe desks

  callscribe-server start  --config FILE                        run the server
  callscribe-server invite --config FILE --name NAME [--role staff|admin]
                                                                a pairing code for a person (15 minutes)
  callscribe-server people --config FILE                        people and their signed-in devices
  callscribe-server revoke --config FILE --session ID           sign a device out
  callscribe-server import-model --config FILE MODEL.bin         a Whisper model file for the office

The config file is JSON; {"dataDir": "/var/lib/callscribe"} is enough (see deploy/README.md).`

/** Where the first administrator's pairing code is written (in the data folder: the service's own). */
const FIRST_ADMIN_CODE = 'first-admin-code.txt'

/** The engines built for every CPU level (`build-whisper.mjs --release`); else the development build. */
const RELEASE_ENGINE = fileURLToPath(new URL('../../native/release/bin/callscribe-whisper', import.meta.url))

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    config: { type: 'string', default: process.env['CALLSCRIBE_SERVER_CONFIG'] },
    name: { type: 'string' },
    role: { type: 'string', default: 'staff' },
    session: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
const command = positionals[0] ?? 'start'

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

async function certificateFor(config: ServerConfig): Promise<ServerCertificate | null> {
  if (config.tls === 'off') return null
  if (config.tls === 'self-signed') return selfSignedCertificate(config.dataDir)
  return readCertificate(config.tls)
}

/** The office's library, or a one-line reason it cannot be opened (the command stops). */
function openLibrary(config: ServerConfig): Promise<Library> {
  return openOfficeLibrary(config.dataDir, config.postgres).catch((error: Error) => fail(error.message))
}

/** The office's people, from the library itself (the server may be running: both libraries allow that). */
async function withAccess<T>(config: ServerConfig, work: (access: OfficeAccess) => Promise<T>): Promise<T> {
  const certificate = await certificateFor(config)
  const library = await openLibrary(config)
  try {
    const access = new OfficeAccess(library.officeAccess, {
      fingerprint: certificate?.fingerprint ?? '',
      address: serverAddress(config, config.listen.port),
    })
    return await work(access)
  } finally {
    await library.close()
  }
}

function printCode(code: string, name: string, role: Role, address: string, expiresAt: number): void {
  console.info(`Pairing code for ${name} (${role}): ${code}`)
  console.info(
    `  On their computer: CallScribe → Join your office (or Settings → Office library), ${address}.`,
  )
  console.info(`  Or in a browser: open ${address} and type the code.`)
  console.info(`  Valid until ${new Date(expiresAt).toLocaleTimeString()} (once).`)
}

if (values.help) {
  console.info(USAGE)
  process.exit(0)
}
if (!values.config) fail(`--config is required\n\n${USAGE}`)
const config = (() => {
  try {
    return readServerConfig(values.config)
  } catch (error) {
    return fail((error as Error).message)
  }
})()
mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })

switch (command) {
  case 'invite': {
    if (!values.name) fail('invite needs --name')
    if (!(ROLES as readonly string[]).includes(values.role)) fail(`--role is one of: ${ROLES.join(', ')}`)
    await withAccess(config, async (access) => {
      const invited = await access.invite(values.name!, values.role as Role)
      printCode(invited.code, values.name!, values.role as Role, invited.address, invited.expiresAt)
    })
    break
  }
  case 'people': {
    await withAccess(config, async (access) => {
      const { people, invitations } = await access.people()
      for (const person of people) {
        console.info(`${person.name} (${person.role})`)
        for (const session of person.sessions)
          console.info(
            `  session ${session.id}: ${session.device}, since ${new Date(session.createdAt).toISOString()}` +
              (session.lastSeenAt ? `, last seen ${new Date(session.lastSeenAt).toISOString()}` : ''),
          )
      }
      for (const invitation of invitations)
        console.info(
          `code waiting for ${invitation.name} (${invitation.role}) until ${new Date(invitation.expiresAt).toISOString()}`,
        )
    })
    break
  }
  case 'revoke': {
    const id = Number(values.session)
    if (!Number.isSafeInteger(id) || id <= 0) fail('revoke needs --session ID (see: people)')
    await withAccess(config, (access) => access.revoke(id))
    console.info(`Session ${id} is signed out; that device must pair again.`)
    break
  }
  case 'import-model': {
    const file = positionals[1]
    if (!file) fail('import-model needs the model file: import-model --config FILE MODEL.bin')
    const library = await openLibrary(config)
    try {
      const id = await new ModelManager(config.dataDir, library.settings).import(resolve(file))
      console.info(`Imported ${file} as ${id}; choose it in Settings → Transcription if another is in use.`)
    } catch (error) {
      fail(
        `Cannot import ${file}: ${error instanceof NoticeError ? logText(error.notice) : (error as Error).message}`,
      )
    } finally {
      await library.close()
    }
    break
  }
  case 'start': {
    const certificate = await certificateFor(config)
    const twilio = twilioFromConfig(config)
    const server = await startOfficeServer({
      dataDir: config.dataDir,
      listen: config.listen,
      certificate,
      address: (port) => serverAddress(config, port),
      transcribeOnServer: config.transcribeOnServer,
      postgres: config.postgres,
      whisperEnginePath: existsSync(RELEASE_ENGINE) ? RELEASE_ENGINE : undefined,
      twilioCredentials: twilio.credentials,
      twilioApiOrigin: twilio.apiOrigin,
    }).catch((error: Error) => fail(error.message))
    console.info(
      `CallScribe office server at ${server.address} (library: ${libraryName(config.postgres)}; recordings and models in ${config.dataDir})`,
    )
    if (certificate) console.info(`Certificate fingerprint (SHA-256): ${certificate.fingerprint}`)
    const access = server.services.officeAccess!
    // The first start (or one where no admin can sign in any more) hands out an admin's code — in a file
    // only the service's account can read, never in the log (which more people can read).
    if (!(await access.hasAdmin())) {
      const invited = await access.invite('Administrator', 'admin')
      const file = join(config.dataDir, FIRST_ADMIN_CODE)
      writeFileSync(file, `${invited.code}\n`, { mode: 0o600 })
      console.info(
        `No administrator yet: the first one's pairing code is in ${file} (valid until ${new Date(invited.expiresAt).toLocaleTimeString()}, once).`,
      )
      console.info(`  On your computer: CallScribe → Join your office, ${invited.address}, that code.`)
    }
    const shutdown = (): void => {
      void server.close().finally(() => process.exit(0))
    }
    process.on('SIGINT', shutdown)
    process.on('SIGTERM', shutdown)
    break
  }
  default:
    fail(`Unknown command "${command}"\n\n${USAGE}`)
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { OfficeStatus } from '../../src/shared/types'
import type { Services } from '../../src/main/services'
import { createTestServices, dispatch, waitFor } from '../helpers/services'
import { tempDir } from '../helpers/temp'
import { syntheticModel } from '../helpers/models'
import { NO_POSTGRES, postgresBinaries, startPostgres, type PostgresServer } from '../helpers/postgres'

const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url))
const children: ChildProcess[] = []
const desks: Services[] = []

function config(settings: object): string {
  const dir = tempDir()
  const file = join(dir, 'callscribe-server.json')
  writeFileSync(file, JSON.stringify({ dataDir: './library', ...settings }))
  return file
}

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 60_000 })

async function desk(address: string, code: string) {
  const { services } = createTestServices(tempDir())
  await services.start()
  desks.push(services)
  const joined = await dispatch(services, 'office.connect', { address, code })
  return { services, joined }
}

afterAll(async () => {
  for (const services of desks) await services.close()
  for (const child of children) child.kill('SIGKILL')
})

let postgres: PostgresServer | undefined
beforeAll(() => {
  if (postgresBinaries()) postgres = startPostgres()
})
afterAll(() => postgres?.stop())

describe('callscribe-server, as an office manager runs it', () => {
  it.for(['PostgreSQL', 'SQLite'] as const)(
    'starts from a three-line config (library: %s), hands out the first admin code, invites, lists, revokes and stops',
    async (library, { skip }) => {
      if (library === 'PostgreSQL' && !postgres) return skip(NO_POSTGRES)
      const file = config({
        listen: { host: '127.0.0.1', port: 0 },
        ...(library === 'PostgreSQL' ? { postgres: postgres!.url } : {}),
      })
      const server = spawn(process.execPath, ['--import', 'tsx', CLI, 'start', '--config', file], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      children.push(server)
      const lines: string[] = []
      createInterface({ input: server.stdout! }).on('line', (line) => lines.push(line))
      const line = (pattern: RegExp) =>
        vi.waitFor(
          () => {
            const found = lines.map((text) => pattern.exec(text)).find(Boolean)
            if (!found) throw new Error(`not yet: ${pattern}`)
            return found
          },
          { timeout: 30_000, interval: 50 },
        )
      const port = (await line(/office server at https:\/\/.+:(\d+) /))[1]!
      // The first administrator's code is in a file only the service can read, not in its log.
      const codeFile = (await line(/the first one's pairing code is in (\S+) \(valid/))[1]!
      const adminCode = readFileSync(codeFile, 'utf8').trim()
      expect(statSync(codeFile).mode & 0o777).toBe(0o600)
      expect(lines.join('\n')).not.toContain(adminCode)
      expect(await line(/Certificate fingerprint \(SHA-256\): ([0-9a-f]{64})/)).toBeTruthy()
      const address = `https://127.0.0.1:${port}`

      const admin = await desk(address, adminCode)
      expect(admin.joined).toMatchObject({
        ok: true,
        value: { kind: 'desk', person: 'Administrator', role: 'admin' },
      })

      // A model file imported at the server (a desk's file means nothing there) is the office's at once.
      expect(await dispatch(admin.services, 'models.import', { path: syntheticModel() })).toMatchObject({
        ok: false,
        error: { notice: { code: 'office.import-on-server' } },
      })
      expect(run('import-model', '--config', file, syntheticModel()).status).toBe(0)
      const models = await dispatch(admin.services, 'models.list', {})
      expect(models).toMatchObject({
        ok: true,
        value: { activeModelId: 'imported:const-ggml-tiny-P100.bin' },
      })
      const garbage = run('import-model', '--config', file, file)
      expect(garbage.status).toBe(2)
      expect(garbage.stderr).toContain('model.not-ggml')

      // While it runs: a code for Dana from the command line.
      const invited = run('invite', '--config', file, '--name', 'Dana')
      expect(invited.status).toBe(0)
      const danaCode = /: (\S{5}-\S{5})$/m.exec(invited.stdout)![1]!
      const dana = await desk(address, danaCode)
      expect(dana.joined).toMatchObject({ ok: true, value: { person: 'Dana', role: 'staff' } })
      await waitFor(
        () => (dana.services.desk!.status() as { state?: string }).state === 'connected',
        'Dana to connect',
      )

      const people = run('people', '--config', file)
      const session = /session (\d+): .*/.exec(people.stdout.split('Dana (staff)')[1]!)![1]!
      expect(run('revoke', '--config', file, '--session', session).status).toBe(0)
      // The running server drops the session at its next request.
      const refused = await dispatch(dana.services, 'calls.list', { limit: 1 })
      expect(refused.ok).toBe(false)
      await waitFor(
        () =>
          (dana.services.desk!.status() as Extract<OfficeStatus, { kind: 'desk' }>).state === 'signed-out',
        'Dana’s desk to be signed out',
      )

      server.kill('SIGTERM')
      const code = await new Promise((resolve) => server.once('exit', resolve))
      expect(code).toBe(0)
    },
  )

  it('refuses a config that would serve the office without TLS beyond this computer, and says why', () => {
    const refused = run('start', '--config', config({ listen: { host: '0.0.0.0', port: 0 }, tls: 'off' }))
    expect(refused.status).toBe(2)
    expect(refused.stderr).toContain('tls "off" is only allowed when listen.host is 127.0.0.1')
    const typo = run('start', '--config', config({ listen: { host: '127.0.0.1', prot: 4433 } }))
    expect(typo.status).toBe(2)
    expect(typo.stderr).toMatch(/listen: Unrecognized key.*prot/)
    // A library it cannot reach is named (without its password), with what to check.
    const away = run(
      'start',
      '--config',
      config({
        listen: { host: '127.0.0.1', port: 0 },
        postgres: `postgres://callscribe:s3cret-word@/callscribe?host=${tempDir()}`,
      }),
    )
    expect(away.status).toBe(2)
    expect(away.stderr).toContain(
      'Cannot open the office library (PostgreSQL postgres://callscribe:***@/callscribe',
    )
    expect(away.stderr).toContain('Is PostgreSQL running there')
    expect(away.stderr + away.stdout).not.toContain('s3cret-word')
  })
})

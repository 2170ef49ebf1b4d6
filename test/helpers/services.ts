import type { Envelope, RequestInput, RequestName, RequestResult } from '../../src/shared/contract'
import { createRequestDispatcher } from '../../src/main/handlers'
import type { Dispatch } from '../../src/main/ipc/dispatch'
import { Services, type ServicesOptions } from '../../src/main/services'
import { MemorySecretStore } from '../../src/main/secrets/secret-store'
import { createLogger, Redactor } from '../../src/main/secrets/redact'
import type { Store } from '../../src/main/store'
import { SqliteLibrary } from '../../src/main/store/sqlite-library'

export interface TestServices {
  services: Services
  logs: string[]
}

/** Real services on a real data folder, with a log that is kept for inspection. */
export function createTestServices(dataDir: string, options: Partial<ServicesOptions> = {}): TestServices {
  const logs: string[] = []
  const redactor = new Redactor()
  const sink = {
    info: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(m),
    error: (m: string) => logs.push(m),
  }
  const services = new Services({
    dataDir,
    transport: 'browser-host',
    version: 'test',
    secrets: new MemorySecretStore(),
    demoAudioDir: null,
    redactor,
    log: createLogger(redactor, sink),
    ...options,
  })
  return { services, logs }
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Every download job has finished one way or the other. */
export async function downloadsSettled(services: Services): Promise<boolean> {
  return (await services.queue.list()).every(
    (job) => job.kind !== 'recording-download' || ['done', 'failed', 'cancelled'].includes(job.state),
  )
}

/** The SQLite store behind a desktop's library, to look at (and break) rows directly. */
export function storeOf(services: Services): Store {
  if (!(services.library instanceof SqliteLibrary)) throw new Error('not a SQLite library')
  return services.library.store
}

const dispatchers = new WeakMap<Services, Dispatch>()

/** Sends a request through the same dispatcher the transports use (validation, envelope, redaction). */
export function dispatch(services: Services, name: string, input: unknown = {}): Promise<Envelope<unknown>> {
  let dispatcher = dispatchers.get(services)
  if (!dispatcher) dispatchers.set(services, (dispatcher = createRequestDispatcher(services)))
  return dispatcher(name, input)
}

/** A typed request: resolves to its result, or rejects with the envelope's error (code and message). */
export async function call<N extends RequestName>(
  services: Services,
  name: N,
  input: RequestInput<N>,
): Promise<RequestResult<N>> {
  const answer = await dispatch(services, name, input)
  if (!answer.ok) throw Object.assign(new Error(answer.error.message), { code: answer.error.code })
  return answer.value as RequestResult<N>
}

import type { z } from 'zod'
import {
  requests,
  type Envelope,
  type RequestArgs,
  type RequestName,
  type RequestResult,
} from '../../shared/contract'
import { UserFacingError } from '../errors'
import type { Logger } from '../secrets/redact'

export type Handlers = {
  [N in RequestName]: (args: RequestArgs<N>) => Promise<RequestResult<N>> | RequestResult<N>
}

export type Dispatch = (name: string, input: unknown) => Promise<Envelope<unknown>>

const isRequestName = (name: string): name is RequestName => Object.hasOwn(requests, name)

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}

/**
 * The transport-independent core of every request: validate the argument against the contract, run the
 * handler, and turn the outcome into an envelope. Internal error details stay in main's log.
 */
export function createDispatcher(
  handlers: Handlers,
  { log, redact }: { log: Logger; redact: <T>(value: T) => T },
): Dispatch {
  // Every answer is redacted on its way out, whatever produced it (an upstream error can echo a header).
  return async (name, input) => redact(await answer(name, input))

  async function answer(name: string, input: unknown): Promise<Envelope<unknown>> {
    if (!isRequestName(name))
      return { ok: false, error: { code: 'unknown-method', message: `Unknown request "${name}"` } }
    const parsed = requests[name].input.safeParse(input ?? {})
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'invalid-argument',
          message: `Invalid argument for ${name}: ${describeIssues(parsed.error)}`,
        },
      }
    }
    try {
      const handler = handlers[name] as (args: unknown) => unknown
      return { ok: true, value: await handler(parsed.data) }
    } catch (error) {
      if (error instanceof UserFacingError)
        return { ok: false, error: { code: error.code, message: error.message, notice: error.notice } }
      if (error instanceof RangeError) {
        return {
          ok: false,
          error: { code: 'invalid-argument', message: `Invalid argument for ${name}: ${error.message}` },
        }
      }
      const message = `${name} failed: ${error instanceof Error ? error.message : String(error)}`
      log.error(message)
      return { ok: false, error: { code: 'internal', message } }
    }
  }
}

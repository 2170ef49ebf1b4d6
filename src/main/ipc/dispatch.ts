import type { z } from 'zod'
import {
  requests,
  type Envelope,
  type RequestArgs,
  type RequestName,
  type RequestResult,
} from '../../shared/contract'
import { DESKTOP_USER, mayMake, type Caller } from '../../shared/access'
import { notice } from '../../shared/notice'
import { storageProblem, UserFacingError } from '../errors'
import type { Logger } from '../secrets/redact'

export type Handlers = {
  [N in RequestName]: (args: RequestArgs<N>, caller: Caller) => Promise<RequestResult<N>> | RequestResult<N>
}

/** `caller`: who makes the request (the office server knows; on a desktop it is the one user). */
export type Dispatch = (name: string, input: unknown, caller?: Caller) => Promise<Envelope<unknown>>

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
  return async (name, input, caller = DESKTOP_USER) => redact(await answer(name, input, caller))

  async function answer(name: string, input: unknown, caller: Caller): Promise<Envelope<unknown>> {
    if (!isRequestName(name))
      return { ok: false, error: { code: 'unknown-method', message: `Unknown request "${name}"` } }
    if (!mayMake(caller, name))
      return {
        ok: false,
        error: { code: 'forbidden', message: `${name} needs an admin`, notice: notice('office.forbidden') },
      }
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
      const handler = handlers[name] as (args: unknown, caller: Caller) => unknown
      return { ok: true, value: await handler(parsed.data, caller) }
    } catch (error) {
      if (error instanceof UserFacingError)
        return { ok: false, error: { code: error.code, message: error.message, notice: error.notice } }
      // The library is away (the office's PostgreSQL restarting) or its disk is full: not the request's
      // fault, and nothing was written; the person can try again.
      const problem = storageProblem(error)
      if (problem) {
        log.error(`${name} failed: the library cannot be written (${problem})`)
        return {
          ok: false,
          error: {
            code: 'unavailable',
            message: `${name}: the library cannot be written (${problem})`,
            notice: notice(problem === 'disk-full' ? 'library.full' : 'library.unavailable'),
          },
        }
      }
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

import { notice, type Notice } from '../../shared/notice'
import twilio from 'twilio'
import { basicAuth, type TwilioCredentials } from './credentials'

export const TWILIO_API_ORIGIN = 'https://api.twilio.com'

export type TwilioClient = ReturnType<typeof twilio>

/** A ready client and what the downloader needs to fetch media with the same account. */
export interface TwilioConnection {
  client: TwilioClient
  credentials: TwilioCredentials
  /** Origin of the REST API (Twilio's, or the local emulator's): the only origin that gets credentials. */
  apiOrigin: string
}

export function connect(
  credentials: TwilioCredentials,
  apiOrigin: string = TWILIO_API_ORIGIN,
): TwilioConnection {
  const { username, password } = basicAuth(credentials)
  // env: {} keeps TWILIO_REGION / TWILIO_EDGE from rewriting hostnames; retries are ours (the SDK's ignore
  // Retry-After and network errors).
  const client = twilio(username, password, {
    accountSid: credentials.accountSid,
    autoRetry: false,
    timeout: 30_000,
    env: {},
  })
  if (apiOrigin !== TWILIO_API_ORIGIN) client.api.baseUrl = apiOrigin
  return { client, credentials, apiOrigin }
}

export type TwilioFailure =
  | { kind: 'credentials'; notice: Notice }
  | { kind: 'rate-limited'; retryAfterMs: number | null; notice: Notice }
  | { kind: 'not-found'; notice: Notice }
  | { kind: 'server'; notice: Notice }
  | { kind: 'network'; notice: Notice }

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ERR_NETWORK',
  'UND_ERR_SOCKET',
])

/**
 * The connection or the account is the problem, not one record: no network, or credentials refused.
 * Anything else that goes wrong with one item (a 404, a field that does not parse) is that item's.
 */
export function failsWholeSync(error: unknown): boolean {
  const e = error as { status?: number; code?: number | string } | null
  if (typeof e?.status === 'number') return e.status === 401 || e.code === 20003
  return typeof e?.code === 'string' && NETWORK_CODES.has(e.code)
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** What went wrong talking to Twilio, as a notice a user can act on. Never includes request details. */
export function classifyTwilioError(
  error: unknown,
  connection?: Pick<TwilioConnection, 'client'>,
): TwilioFailure {
  const e = error as { status?: number; code?: number | string; message?: string }
  if (typeof e.status === 'number') {
    // Twilio's own error number, for its documentation (twilio.com/docs/api/errors).
    const code: Record<string, number> = typeof e.code === 'number' ? { errorCode: e.code } : {}
    if (e.status === 401 || e.code === 20003) {
      return { kind: 'credentials', notice: notice('twilio.credentials-rejected', code) }
    }
    if (e.status === 429) {
      const headers = (
        connection?.client.httpClient as { lastResponse?: { headers?: Record<string, string> } } | undefined
      )?.lastResponse?.headers
      return {
        kind: 'rate-limited',
        retryAfterMs: retryAfterMs(headers?.['retry-after']),
        notice: notice('twilio.slow-down', code),
      }
    }
    if (e.status === 404) return { kind: 'not-found', notice: notice('twilio.not-found', code) }
    return {
      kind: 'server',
      notice: notice('twilio.server-error', {
        status: e.status,
        ...code,
        detail: e.status >= 500 ? '' : (e.message ?? ''),
      }),
    }
  }
  const detail =
    typeof e.code === 'string' && NETWORK_CODES.has(e.code) ? e.code : (e.message ?? String(error))
  return { kind: 'network', notice: notice('twilio.unreachable', { detail }) }
}

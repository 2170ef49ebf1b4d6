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
  | { kind: 'credentials'; message: string }
  | { kind: 'rate-limited'; retryAfterMs: number | null; message: string }
  | { kind: 'not-found'; message: string }
  | { kind: 'server'; message: string }
  | { kind: 'network'; message: string }

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

/** What went wrong talking to Twilio, in words a user can act on. Never includes request details. */
export function classifyTwilioError(
  error: unknown,
  connection?: Pick<TwilioConnection, 'client'>,
): TwilioFailure {
  const e = error as { status?: number; code?: number | string; message?: string }
  if (typeof e.status === 'number') {
    const code = typeof e.code === 'number' ? ` (error ${e.code})` : ''
    if (e.status === 401 || e.code === 20003) {
      return {
        kind: 'credentials',
        message: `Twilio rejected the credentials${code}. Check the Account SID and the API key or auth token.`,
      }
    }
    if (e.status === 429) {
      const headers = (
        connection?.client.httpClient as { lastResponse?: { headers?: Record<string, string> } } | undefined
      )?.lastResponse?.headers
      return {
        kind: 'rate-limited',
        retryAfterMs: retryAfterMs(headers?.['retry-after']),
        message: `Twilio asked us to slow down${code}.`,
      }
    }
    if (e.status === 404) return { kind: 'not-found', message: `Twilio has no such resource${code}.` }
    if (e.status >= 500)
      return { kind: 'server', message: `Twilio had a server error (HTTP ${e.status}${code}).` }
    return { kind: 'server', message: `Twilio answered HTTP ${e.status}${code}: ${e.message ?? ''}`.trim() }
  }
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    return { kind: 'network', message: `Could not reach Twilio (${e.code}). Check the internet connection.` }
  }
  return { kind: 'network', message: `Could not reach Twilio: ${e.message ?? String(error)}` }
}

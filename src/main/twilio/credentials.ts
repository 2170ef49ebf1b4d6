import { notice, type Notice } from '../../shared/notice'
import type { SecretStore } from '../secrets/secret-store'
import type { Redactor } from '../secrets/redact'

export type TwilioAuth =
  | { kind: 'api-key'; keySid: string; keySecret: string }
  | { kind: 'auth-token'; authToken: string }

export interface TwilioCredentials {
  accountSid: string
  auth: TwilioAuth
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/
const KEY_SID = /^SK[0-9a-fA-F]{32}$/

/** Says exactly what is wrong with the shape of the credentials, before anything is sent anywhere. */
export function credentialFormatProblem(credentials: TwilioCredentials): Notice | null {
  if (!ACCOUNT_SID.test(credentials.accountSid)) {
    return notice('twilio.account-sid-format')
  }
  if (credentials.auth.kind === 'api-key') {
    if (!KEY_SID.test(credentials.auth.keySid)) return notice('twilio.api-key-format')
    if (credentials.auth.keySecret.trim().length < 16) return notice('twilio.api-secret-format')
  } else if (!/^[0-9a-fA-F]{32}$/.test(credentials.auth.authToken)) {
    return notice('twilio.auth-token-format')
  }
  return null
}

/** The Basic-auth user and password Twilio expects for these credentials. */
export function basicAuth(credentials: TwilioCredentials): { username: string; password: string } {
  return credentials.auth.kind === 'api-key'
    ? { username: credentials.auth.keySid, password: credentials.auth.keySecret }
    : { username: credentials.accountSid, password: credentials.auth.authToken }
}

const KEY = 'twilio-credentials'

function parseCredentials(stored: string): TwilioCredentials | null {
  try {
    const value = JSON.parse(stored) as Partial<TwilioCredentials> | null
    const auth = value?.auth
    if (typeof value?.accountSid !== 'string' || !auth) return null
    if (auth.kind === 'api-key' && typeof auth.keySid === 'string' && typeof auth.keySecret === 'string')
      return value as TwilioCredentials
    if (auth.kind === 'auth-token' && typeof auth.authToken === 'string') return value as TwilioCredentials
    return null
  } catch {
    return null
  }
}

/** Twilio credentials in the secret store; every secret read or written is registered for redaction. */
export class TwilioCredentialStore {
  constructor(
    private readonly secrets: SecretStore,
    private readonly redactor: Redactor,
  ) {}

  private damaged = false

  get protection() {
    return this.secrets.protection
  }

  /** Saved credentials could not be read back (damaged file or value): the user must enter them again. */
  get lost(): boolean {
    return this.damaged || this.secrets.problem === 'unreadable'
  }

  async load(): Promise<TwilioCredentials | null> {
    const stored = await this.secrets.get(KEY)
    if (!stored) return null
    const credentials = parseCredentials(stored)
    if (!credentials) {
      this.damaged = true
      await this.secrets.delete(KEY)
      return null
    }
    this.register(credentials)
    return credentials
  }

  async save(credentials: TwilioCredentials, options: { allowUnprotected?: boolean } = {}): Promise<void> {
    this.register(credentials)
    await this.secrets.set(KEY, JSON.stringify(credentials), options)
    this.damaged = false
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KEY)
  }

  register(credentials: TwilioCredentials): void {
    const { username, password } = basicAuth(credentials)
    this.redactor.add(password, username)
  }
}

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
export function credentialFormatProblem(credentials: TwilioCredentials): string | null {
  if (!ACCOUNT_SID.test(credentials.accountSid)) {
    return 'The Account SID must start with "AC" followed by 32 hexadecimal characters (Twilio Console → Account info).'
  }
  if (credentials.auth.kind === 'api-key') {
    if (!KEY_SID.test(credentials.auth.keySid))
      return 'The API key SID must start with "SK" followed by 32 hexadecimal characters.'
    if (credentials.auth.keySecret.trim().length < 16)
      return 'The API key secret looks too short; paste the whole secret shown when the key was created.'
  } else if (!/^[0-9a-fA-F]{32}$/.test(credentials.auth.authToken)) {
    return 'The auth token must be 32 hexadecimal characters.'
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

/** Twilio credentials in the secret store; every secret read or written is registered for redaction. */
export class TwilioCredentialStore {
  constructor(
    private readonly secrets: SecretStore,
    private readonly redactor: Redactor,
  ) {}

  get protection() {
    return this.secrets.protection
  }

  async load(): Promise<TwilioCredentials | null> {
    const stored = await this.secrets.get(KEY)
    if (!stored) return null
    const credentials = JSON.parse(stored) as TwilioCredentials
    this.register(credentials)
    return credentials
  }

  async save(credentials: TwilioCredentials, options: { allowUnprotected?: boolean } = {}): Promise<void> {
    this.register(credentials)
    await this.secrets.set(KEY, JSON.stringify(credentials), options)
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KEY)
  }

  register(credentials: TwilioCredentials): void {
    const { username, password } = basicAuth(credentials)
    this.redactor.add(password, username)
  }
}

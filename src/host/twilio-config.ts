import type { TwilioCredentials } from '../main/twilio/credentials'

/** Twilio settings from a config file (the browser host's, the office server's). */
export interface HostConfig {
  twilio?: {
    accountSid?: string
    apiKeySid?: string
    apiKeySecret?: string
    authToken?: string
    apiOrigin?: string
  }
}

/** Twilio settings for the host: its config file first, then TWILIO_* environment variables. */
export function twilioFromConfig(config: HostConfig): {
  credentials: TwilioCredentials | null
  apiOrigin: string | undefined
} {
  const env = process.env
  const accountSid = config.twilio?.accountSid ?? env['TWILIO_ACCOUNT_SID']
  const keySid = config.twilio?.apiKeySid ?? env['TWILIO_API_KEY']
  const keySecret = config.twilio?.apiKeySecret ?? env['TWILIO_API_SECRET']
  const authToken = config.twilio?.authToken ?? env['TWILIO_AUTH_TOKEN']
  const apiOrigin = config.twilio?.apiOrigin ?? env['CALLSCRIBE_TWILIO_API_ORIGIN']
  if (!accountSid) return { credentials: null, apiOrigin }
  if (keySid && keySecret)
    return { credentials: { accountSid, auth: { kind: 'api-key', keySid, keySecret } }, apiOrigin }
  if (authToken) return { credentials: { accountSid, auth: { kind: 'auth-token', authToken } }, apiOrigin }
  throw new Error(
    'TWILIO_ACCOUNT_SID is set but neither TWILIO_API_KEY + TWILIO_API_SECRET nor TWILIO_AUTH_TOKEN is',
  )
}

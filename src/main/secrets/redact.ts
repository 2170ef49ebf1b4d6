/**
 * Credentials that may appear in text we did not write (an upstream error that echoes the request):
 * Authorization header values and OpenAI-style keys, whether or not this run knows the secret.
 */
const CREDENTIAL_PATTERNS: [RegExp, string][] = [
  [/\b(Basic|Bearer) +[A-Za-z0-9+/=._~-]{20,}/g, '$1 [redacted]'],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, '[redacted]'],
]

/**
 * Keeps secrets out of logs and everything main sends: every known secret (and the Basic-auth header
 * built from it) and anything shaped like a credential is replaced before text leaves main's logger, a
 * request's answer or an event (the dispatcher and the event bus call redactDeep at that boundary).
 */
export class Redactor {
  private readonly secrets = new Set<string>()

  /** Registers a secret; `pairedWith` is the user name it is sent with in Basic auth. */
  add(secret: string | null | undefined, pairedWith?: string): void {
    if (!secret || secret.length < 4) return
    this.secrets.add(secret)
    if (pairedWith) this.secrets.add(Buffer.from(`${pairedWith}:${secret}`).toString('base64'))
  }

  redact(text: string): string {
    let result = text
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]')
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) result = result.replace(pattern, replacement)
    return result
  }

  /** A copy of a JSON-like value with every string redacted (object keys are ours, not data). */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactDeep(item)) as T
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const copy: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) copy[key] = this.redactDeep(item)
      return copy as T
    }
    return value
  }
}

export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

/** The app's logger: plain messages only (never objects, which can carry request headers), redacted. */
export function createLogger(
  redactor: Redactor,
  sink: Pick<Console, 'info' | 'warn' | 'error'> = console,
): Logger {
  const stamp = () => new Date().toISOString()
  return {
    info: (message) => sink.info(`${stamp()} ${redactor.redact(message)}`),
    warn: (message) => sink.warn(`${stamp()} ${redactor.redact(message)}`),
    error: (message) => sink.error(`${stamp()} ${redactor.redact(message)}`),
  }
}

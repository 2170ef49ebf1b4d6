/**
 * Keeps secrets out of logs and error messages: every known secret (and the Basic-auth header built from
 * it) is replaced before text leaves main's logger or reaches the renderer.
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
    return result
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

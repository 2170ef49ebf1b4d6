import type { IncomingMessage } from 'node:http'

/**
 * How a browser holds its office session: a cookie made when it signs in with a pairing code. HttpOnly (the
 * page's scripts never see it), SameSite=Strict (no other site's page can send it), and over TLS Secure with
 * the __Host- prefix (only this exact server may set or read it). Requests that change something with a
 * cookie must also come from the server's own pages (sameOrigin): a WebSocket is not covered by CORS.
 */
export class BrowserSessions {
  private readonly name: string

  constructor(private readonly secure: boolean) {
    this.name = secure ? '__Host-callscribe-session' : 'callscribe-session'
  }

  /** The session token a browser sent, if any. */
  tokenOf(req: IncomingMessage): string | null {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [name, value] = part.trim().split('=')
      if (name === this.name && value && /^[A-Za-z0-9_-]{20,100}$/.test(value)) return value
    }
    return null
  }

  /** Set-Cookie for a new session (no Max-Age: the server ends sessions; idle ones after 90 days). */
  cookie(token: string): string {
    return `${this.name}=${token}; Path=/; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`
  }

  /** Set-Cookie that removes the session cookie. */
  cleared(): string {
    return `${this.name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${this.secure ? '; Secure' : ''}`
  }
}

/** Whether a request came from a page of this very server (its Origin names the host it was sent to). */
export function sameOrigin(req: IncomingMessage, scheme: 'http' | 'https'): boolean {
  const origin = req.headers.origin
  return (
    origin !== undefined && req.headers.host !== undefined && origin === `${scheme}://${req.headers.host}`
  )
}

/**
 * How a browser's session is listed among a person's signed-in devices: "Chrome · Windows". Names only, no
 * words: the list is read in English and Hebrew.
 */
export function browserDevice(userAgent: string | undefined): string {
  const ua = userAgent ?? ''
  const first = (names: [string, RegExp][]) => names.find(([, pattern]) => pattern.test(ua))?.[0]
  const browser =
    first([
      ['Edge', /Edg\//],
      ['Opera', /OPR\//],
      ['Chrome', /Chrome\//],
      ['Firefox', /Firefox\//],
      ['Safari', /Safari\//],
    ]) ??
    (/^[\w.-]{1,40}/.exec(ua)?.[0] || 'HTTP')
  const system = first([
    ['Windows', /Windows/],
    ['iPhone', /iPhone/],
    ['iPad', /iPad/],
    ['macOS', /Mac OS X/],
    ['Android', /Android/],
    ['Linux', /Linux/],
  ])
  return system ? `${browser} · ${system}` : browser
}

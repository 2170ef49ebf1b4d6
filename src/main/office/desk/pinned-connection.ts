import { createHash } from 'node:crypto'
import { connect as netConnect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'
import { notice } from '../../../shared/notice'
import { UserFacingError } from '../../errors'

/**
 * Connections from a desk to the office server. An office server's certificate is usually self-signed, so
 * the usual CA check cannot apply; instead the desk learns the certificate at pairing (bound to the
 * pairing code, see ../pairing.ts) and from then on accepts only that certificate. Plain HTTP is for a
 * server on this same computer only.
 */

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost'])
/** A host name or IPv4 address: dot-separated labels of letters, digits and hyphens. */
const HOST_NAME = /^(?!-)[a-z0-9-]{1,63}(?:\.(?!-)[a-z0-9-]{1,63})*\.?$/i

/** The server's address as the user typed it, checked: https anywhere, http only on this computer. */
export function officeAddress(typed: string): URL {
  let url: URL
  try {
    url = new URL(/^[a-z]+:\/\//i.test(typed) ? typed : `https://${typed}`)
  } catch {
    throw new UserFacingError('invalid-argument', notice('office.address-format'))
  }
  const plainLocal = url.protocol === 'http:' && LOOPBACK.has(url.hostname)
  const hostLike = HOST_NAME.test(url.hostname) || /^\[[0-9a-f:.]+\]$/i.test(url.hostname)
  if (
    (url.protocol !== 'https:' && !plainLocal) ||
    !hostLike ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    url.pathname !== '/'
  )
    throw new UserFacingError('invalid-argument', notice('office.address-format'))
  return new URL(url.origin)
}

export const certificateFingerprint = (socket: TLSSocket): string =>
  createHash('sha256').update(socket.getPeerCertificate().raw).digest('hex')

export class ServerIdentityError extends UserFacingError {
  constructor(address: string) {
    super('forbidden', notice('office.server-identity', { address }))
  }
}

export function unreachable(address: URL, error: unknown): UserFacingError {
  const detail = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error)
  return new UserFacingError('unavailable', notice('office.unreachable', { address: address.origin, detail }))
}

/**
 * A socket to the server, already through its TLS handshake, with the certificate's fingerprint. With
 * `pinned`, any other certificate ends the connection before a byte is sent.
 */
export async function connectToServer(
  address: URL,
  pinned: string | null,
  timeoutMs = 10_000,
): Promise<{ socket: Socket; fingerprint: string }> {
  const port = Number(address.port || (address.protocol === 'https:' ? 443 : 80))
  const host = address.hostname.replace(/^\[|\]$/g, '')
  const socket =
    address.protocol === 'https:'
      ? tlsConnect({
          host,
          port,
          ...(isIP(host) ? {} : { servername: host }),
          // Checked below against the pinned certificate instead of a CA (see the top of this file).
          rejectUnauthorized: false,
        })
      : netConnect({ host, port })
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
        timeoutMs,
      )
      socket.once(address.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer)
        resolve()
      })
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
    })
  } catch (error) {
    socket.destroy()
    throw unreachable(address, error)
  }
  const fingerprint = address.protocol === 'https:' ? certificateFingerprint(socket as TLSSocket) : ''
  if (pinned !== null && fingerprint !== pinned) {
    socket.destroy()
    throw new ServerIdentityError(address.origin)
  }
  return { socket, fingerprint }
}

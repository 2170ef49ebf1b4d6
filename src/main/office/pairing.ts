import { createHmac, randomInt, timingSafeEqual } from 'node:crypto'

/**
 * Pairing a desk with the office server, bound to the server's TLS certificate. Office servers usually have
 * a self-signed certificate, so a desk cannot tell the real server from an impostor by the certificate
 * alone. Instead, the pairing code (a secret the admin hands the person) is never sent: the desk sends an
 * HMAC of the certificate it sees under the code, which only matches at the server whose certificate that is
 * (a relaying impostor shows its own); the server answers with a second HMAC under the code, which only a
 * server that knows the code can make. The desk then pins that certificate. Codes have ~50 bits and live
 * 15 minutes, far too little to guess one from a proof in that time.
 */

/** Crockford's base-32: no I, L, O, U (read aloud and typed without confusion). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE_LENGTH = 10
export const PAIRING_MINUTES = 15

/** A new code, shown as two groups of five: `7KQ2M-X9D4A`. */
export function newPairingCode(): string {
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

/** A typed code as stored: upper case, no spaces or dashes, the letters people mistype for digits mapped. */
export function normalizeCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
}

const hmac = (code: string, purpose: string, fingerprint: string): string =>
  createHmac('sha256', normalizeCode(code))
    .update(`callscribe-pairing|${purpose}|${fingerprint}`)
    .digest('base64url')

/** What the desk sends: proof that it knows the code, bound to the certificate it sees ('' without TLS). */
export const deskProof = (code: string, fingerprint: string): string => hmac(code, 'desk', fingerprint)
/** What the server answers: proof that it knows the code too. */
export const serverProof = (code: string, fingerprint: string): string => hmac(code, 'server', fingerprint)

export function sameProof(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

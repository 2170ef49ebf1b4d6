import { X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'

export interface ServerCertificate {
  cert: string
  key: string
  /** SHA-256 of the certificate (DER), lower-case hex: what desks pin. */
  fingerprint: string
}

export const fingerprintOf = (certPem: string): string =>
  new X509Certificate(certPem).fingerprint256.replace(/:/g, '').toLowerCase()

/** The office's own certificate files. */
export function readCertificate(files: { cert: string; key: string }): ServerCertificate {
  const cert = readFileSync(files.cert, 'utf8')
  return { cert, key: readFileSync(files.key, 'utf8'), fingerprint: fingerprintOf(cert) }
}

/**
 * The server's self-signed certificate, made on first start and kept (desks pin it: a new one means every
 * desk must pair again). Ten years: an office server outlives a one-year certificate, and trust comes from
 * the pinning, not the dates.
 */
export async function selfSignedCertificate(dataDir: string): Promise<ServerCertificate> {
  const dir = join(dataDir, 'tls')
  const certFile = join(dir, 'server.crt')
  const keyFile = join(dir, 'server.key')
  if (existsSync(certFile) && existsSync(keyFile)) return readCertificate({ cert: certFile, key: keyFile })
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const notAfter = new Date()
  notAfter.setFullYear(notAfter.getFullYear() + 10)
  const made = await generate([{ name: 'commonName', value: `CallScribe office server (${hostname()})` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: notAfter,
  })
  writeFileSync(keyFile, made.private, { mode: 0o600 })
  writeFileSync(certFile, made.cert, { mode: 0o644 })
  return { cert: made.cert, key: made.private, fingerprint: fingerprintOf(made.cert) }
}

import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

/**
 * callscribe-server's config file (JSON). Everything has a default except where the library lives, so an
 * office manager writes three lines: `{"dataDir": "/var/lib/callscribe"}` is a complete config.
 */
export const serverConfigSchema = z
  .object({
    /** The office library, recordings and models. */
    dataDir: z.string().min(1),
    listen: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(4433),
      })
      .strict()
      .default({ host: '0.0.0.0', port: 4433 }),
    /**
     * `self-signed` (default): a certificate made on first start, kept in dataDir/tls (desks pin it when they
     * pair); or the office's own certificate and key files; `off` only for a server listening on loopback.
     */
    tls: z
      .union([
        z.literal('self-signed'),
        z.literal('off'),
        z.object({ cert: z.string(), key: z.string() }).strict(),
      ])
      .default('self-signed'),
    /**
     * The office library's PostgreSQL, as a connection string (postgres://user@host/db; a password is best
     * kept in ~/.pgpass or PGPASSWORD, not here). Without it: a SQLite file in dataDir, to try things out.
     */
    postgres: z.string().startsWith('postgres').optional(),
    /** False: the server box only holds the library; desks that offered their CPU transcribe. */
    transcribeOnServer: z.boolean().default(true),
    /** The address desks type (default: https://<this computer's name>:<port>). */
    address: z.string().url().optional(),
    twilio: z
      .object({
        accountSid: z.string().optional(),
        apiKeySid: z.string().optional(),
        apiKeySecret: z.string().optional(),
        authToken: z.string().optional(),
        apiOrigin: z.string().url().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((config) => config.tls !== 'off' || LOOPBACK.has(config.listen.host), {
    message: 'tls "off" is only allowed when listen.host is 127.0.0.1, ::1 or localhost',
    path: ['tls'],
  })

export type ServerConfig = z.infer<typeof serverConfigSchema>

/** Reads and checks the config file; relative paths in it are relative to the file. */
export function readServerConfig(file: string): ServerConfig {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`Cannot read the config file ${file}: ${(error as Error).message}`)
  }
  const parsed = serverConfigSchema.safeParse(raw)
  if (!parsed.success)
    throw new Error(
      `The config file ${file} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
    )
  const base = dirname(resolve(file))
  const config = parsed.data
  return {
    ...config,
    dataDir: resolve(base, config.dataDir),
    tls:
      typeof config.tls === 'object'
        ? { cert: resolve(base, config.tls.cert), key: resolve(base, config.tls.key) }
        : config.tls,
  }
}

/** What desks type to reach this server. */
export function serverAddress(config: ServerConfig, port: number): string {
  if (config.address) return new URL(config.address).origin
  const scheme = config.tls === 'off' ? 'http' : 'https'
  const host = config.tls === 'off' ? '127.0.0.1' : hostname()
  return `${scheme}://${host}:${port}`
}

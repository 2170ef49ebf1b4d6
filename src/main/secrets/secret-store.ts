import { notice } from '../../shared/notice'
import { UserFacingError } from '../errors'
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { dirname } from 'node:path'

/**
 * How well secrets are protected at rest: `os` = encrypted by the OS keychain/DPAPI/libsecret (Electron
 * safeStorage), `none` = the OS offers no protection (stored only with the user's explicit consent),
 * `memory` = never written to disk (the browser host).
 */
export type SecretProtection = 'os' | 'none' | 'memory'

export interface SecretCipher {
  readonly protection: 'os' | 'none'
  encrypt(plain: string): Promise<Buffer>
  /** `stale`: the OS rotated its key; the store re-encrypts the value with the new one. */
  decrypt(data: Buffer): Promise<{ value: string; stale?: boolean }>
}

export interface SecretStore {
  readonly protection: SecretProtection
  /**
   * `unreadable`: saved secrets were found damaged (an empty or corrupt file, or values the OS can no
   * longer decrypt) and were set aside; the user must enter them again. Cleared by the next save.
   */
  readonly problem: 'unreadable' | null
  get(name: string): Promise<string | null>
  /** Refuses with UnprotectedSecretError when the OS offers no protection and the user has not agreed. */
  set(name: string, value: string, options?: { allowUnprotected?: boolean }): Promise<void>
  delete(name: string): Promise<void>
}

/**
 * No encryption: the file's permissions are the only protection. For the office server, a service account's
 * private folder (like a TLS key); saving through it needs the same explicit consent as a desktop whose OS
 * offers no keychain.
 */
export const FILE_PERMISSIONS_ONLY: SecretCipher = {
  protection: 'none',
  encrypt: async (plain) => Buffer.from(plain, 'utf8'),
  decrypt: async (data) => ({ value: data.toString('utf8') }),
}

export class UnprotectedSecretError extends UserFacingError {
  constructor() {
    // The renderer asks for consent on this code (ConsentPrompt words it).
    super('needs-consent', notice('unexpected', { detail: 'no protected storage for secrets' }))
  }
}

interface SecretFile {
  version: 1
  entries: Record<string, { protection: 'os' | 'none'; data: string }>
}

function isSecretFile(value: unknown): value is SecretFile {
  if (typeof value !== 'object' || value === null) return false
  const { version, entries } = value as Partial<SecretFile>
  return (
    version === 1 &&
    typeof entries === 'object' &&
    entries !== null &&
    Object.values(entries).every(
      (entry) =>
        typeof entry?.data === 'string' && (entry.protection === 'os' || entry.protection === 'none'),
    )
  )
}

/**
 * Secrets encrypted with an OS-backed cipher in one file (mode 0600, written durably and replaced
 * atomically). A damaged file never blocks the app: it is moved aside (`secrets.json.damaged-…`), the
 * store starts empty and says so (`problem`), and the next save writes a good file.
 */
export class EncryptedFileSecretStore implements SecretStore {
  problem: 'unreadable' | null = null

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  get protection(): SecretProtection {
    return this.cipher.protection
  }

  async get(name: string): Promise<string | null> {
    const entry = this.read().entries[name]
    if (!entry) return null
    let decrypted: { value: string; stale?: boolean }
    try {
      decrypted = await this.cipher.decrypt(Buffer.from(entry.data, 'base64'))
    } catch (error) {
      // The OS key changed or the value is damaged: this secret is lost, the others may not be.
      this.log(
        `secrets: ${name} could not be decrypted (${(error as Error).message}); it must be entered again`,
      )
      this.problem = 'unreadable'
      await this.delete(name)
      return null
    }
    if (decrypted.stale)
      await this.set(name, decrypted.value, { allowUnprotected: entry.protection === 'none' })
    return decrypted.value
  }

  async set(name: string, value: string, options: { allowUnprotected?: boolean } = {}): Promise<void> {
    if (this.cipher.protection === 'none' && !options.allowUnprotected) throw new UnprotectedSecretError()
    const contents = this.read()
    contents.entries[name] = {
      protection: this.cipher.protection,
      data: (await this.cipher.encrypt(value)).toString('base64'),
    }
    this.write(contents)
    this.problem = null
  }

  async delete(name: string): Promise<void> {
    const contents = this.read()
    delete contents.entries[name]
    this.write(contents)
  }

  private read(): SecretFile {
    if (!existsSync(this.file)) return { version: 1, entries: {} }
    let parsed: unknown = null
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'))
    } catch {
      // handled below, like any other damage
    }
    if (isSecretFile(parsed)) return parsed
    const aside = `${this.file}.damaged-${Date.now()}`
    renameSync(this.file, aside)
    chmodSync(aside, 0o600)
    this.log(`secrets: ${this.file} was damaged; moved to ${aside}, saved secrets must be entered again`)
    this.problem = 'unreadable'
    return { version: 1, entries: {} }
  }

  /**
   * Durable and private: a fresh temporary file (a stale one, perhaps with looser permissions, is
   * removed first) created 0600, fsynced, renamed over the old file, and the folder fsynced.
   */
  private write(contents: SecretFile): void {
    const temporary = `${this.file}.tmp`
    rmSync(temporary, { force: true })
    const fd = openSync(temporary, 'wx', 0o600)
    try {
      writeSync(fd, JSON.stringify(contents))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    chmodSync(temporary, 0o600)
    renameSync(temporary, this.file)
    syncFolder(dirname(this.file))
  }
}

function syncFolder(folder: string): void {
  if (process.platform === 'win32') return // folders cannot be opened for fsync there
  const fd = openSync(folder, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Secrets that live only as long as the process (the browser host; values may come from the environment). */
export class MemorySecretStore implements SecretStore {
  readonly protection = 'memory' as const
  readonly problem = null
  private readonly values = new Map<string, string>()

  constructor(initial: Record<string, string | undefined> = {}) {
    for (const [name, value] of Object.entries(initial)) if (value) this.values.set(name, value)
  }

  async get(name: string): Promise<string | null> {
    return this.values.get(name) ?? null
  }

  async set(name: string, value: string): Promise<void> {
    this.values.set(name, value)
  }

  async delete(name: string): Promise<void> {
    this.values.delete(name)
  }
}

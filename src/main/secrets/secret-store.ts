import { UserFacingError } from '../errors'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'

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
  get(name: string): Promise<string | null>
  /** Refuses with UnprotectedSecretError when the OS offers no protection and the user has not agreed. */
  set(name: string, value: string, options?: { allowUnprotected?: boolean }): Promise<void>
  delete(name: string): Promise<void>
}

export class UnprotectedSecretError extends UserFacingError {
  constructor() {
    super(
      'needs-consent',
      'This computer offers no protected storage for secrets (no keychain or secret service), so the key would be saved unencrypted. Confirm to save it anyway, or set up a keyring first.',
    )
  }
}

interface SecretFile {
  version: 1
  entries: Record<string, { protection: 'os' | 'none'; data: string }>
}

/** Secrets encrypted with an OS-backed cipher in one file (mode 0600, replaced atomically). */
export class EncryptedFileSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {}

  get protection(): SecretProtection {
    return this.cipher.protection
  }

  async get(name: string): Promise<string | null> {
    const entry = this.read().entries[name]
    if (!entry) return null
    const { value, stale } = await this.cipher.decrypt(Buffer.from(entry.data, 'base64'))
    if (stale) await this.set(name, value, { allowUnprotected: entry.protection === 'none' })
    return value
  }

  async set(name: string, value: string, options: { allowUnprotected?: boolean } = {}): Promise<void> {
    if (this.cipher.protection === 'none' && !options.allowUnprotected) throw new UnprotectedSecretError()
    const contents = this.read()
    contents.entries[name] = {
      protection: this.cipher.protection,
      data: (await this.cipher.encrypt(value)).toString('base64'),
    }
    this.write(contents)
  }

  async delete(name: string): Promise<void> {
    const contents = this.read()
    delete contents.entries[name]
    this.write(contents)
  }

  private read(): SecretFile {
    if (!existsSync(this.file)) return { version: 1, entries: {} }
    return JSON.parse(readFileSync(this.file, 'utf8')) as SecretFile
  }

  private write(contents: SecretFile): void {
    const temporary = `${this.file}.tmp`
    writeFileSync(temporary, JSON.stringify(contents), { mode: 0o600 })
    renameSync(temporary, this.file)
  }
}

/** Secrets that live only as long as the process (the browser host; values may come from the environment). */
export class MemorySecretStore implements SecretStore {
  readonly protection = 'memory' as const
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

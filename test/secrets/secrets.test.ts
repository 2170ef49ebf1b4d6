import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  EncryptedFileSecretStore,
  UnprotectedSecretError,
  type SecretCipher,
} from '../../src/main/secrets/secret-store'
import { createLogger, Redactor } from '../../src/main/secrets/redact'
import { TwilioCredentialStore } from '../../src/main/twilio/credentials'
import { CREDENTIALS, API_KEY } from '../helpers/twilio'
import { tempDir } from '../helpers/temp'

/** Stands in for the OS cipher (Electron safeStorage cannot run here): reversible, never the plain text. */
function testCipher(protection: 'os' | 'none', rotated = false): SecretCipher & { encryptions: number } {
  const cipher = {
    protection,
    encryptions: 0,
    encrypt: async (plain: string) => {
      cipher.encryptions++
      return Buffer.from(Buffer.from(plain).map((byte) => byte ^ 0x5a))
    },
    decrypt: async (data: Buffer) => ({
      value: Buffer.from(data.map((byte) => byte ^ 0x5a)).toString(),
      stale: rotated,
    }),
  }
  return cipher
}

describe('secrets', () => {
  it('stores credentials encrypted: the file never holds the secret in any readable form', async () => {
    const file = join(tempDir(), 'secrets.json')
    const store = new TwilioCredentialStore(
      new EncryptedFileSecretStore(file, testCipher('os')),
      new Redactor(),
    )
    await store.save(CREDENTIALS)
    const raw = readFileSync(file, 'utf8')
    expect(raw).not.toContain(API_KEY.secret)
    expect(raw).not.toContain(Buffer.from(API_KEY.secret).toString('base64'))
    expect(await store.load()).toEqual(CREDENTIALS)
    await store.clear()
    expect(await store.load()).toBeNull()
  })

  it('refuses to store without OS protection unless the user agrees', async () => {
    const file = join(tempDir(), 'secrets.json')
    const store = new EncryptedFileSecretStore(file, testCipher('none'))
    await expect(store.set('k', 'value')).rejects.toBeInstanceOf(UnprotectedSecretError)
    await expect(store.set('k', 'value')).rejects.toMatchObject({
      code: 'needs-consent',
    })
    await store.set('k', 'value', { allowUnprotected: true })
    expect(await store.get('k')).toBe('value')
  })

  it('re-encrypts a value when the OS says its key was rotated', async () => {
    const file = join(tempDir(), 'secrets.json')
    const cipher = testCipher('os', true)
    const store = new EncryptedFileSecretStore(file, cipher)
    await store.set('k', 'value')
    expect(await store.get('k')).toBe('value')
    expect(cipher.encryptions).toBe(2)
  })

  it('redacts secrets and their Basic-auth form from every log line', () => {
    const lines: string[] = []
    const redactor = new Redactor()
    const log = createLogger(redactor, {
      info: (m) => lines.push(m),
      warn: (m) => lines.push(m),
      error: (m) => lines.push(m),
    })
    new TwilioCredentialStore(
      new EncryptedFileSecretStore(join(tempDir(), 's.json'), testCipher('os')),
      redactor,
    ).register(CREDENTIALS)
    const basic = Buffer.from(`${API_KEY.sid}:${API_KEY.secret}`).toString('base64')
    log.error(`failed with secret ${API_KEY.secret} and header Authorization: Basic ${basic}`)
    expect(lines[0]).not.toContain(API_KEY.secret)
    expect(lines[0]).not.toContain(basic)
    expect(lines[0]).toContain('[redacted]')
  })

  it.each([
    ['empty', ''],
    ['not JSON', '{"version":1,"entr'],
    ['JSON null', 'null'],
    ['the wrong shape', '{"version":1,"entries":{"twilio-credentials":{"data":42}}}'],
  ])(
    'recovers from a secrets file that is %s: says so, sets it aside, and takes new credentials',
    async (_name, text) => {
      const dir = tempDir()
      const file = join(dir, 'secrets.json')
      writeFileSync(file, text)
      const store = new TwilioCredentialStore(
        new EncryptedFileSecretStore(file, testCipher('os')),
        new Redactor(),
      )
      expect(await store.load()).toBeNull()
      expect(store.lost).toBe(true)
      const aside = readdirSync(dir).find((name) => name.startsWith('secrets.json.damaged-'))
      expect(aside).toBeDefined()
      expect(readFileSync(join(dir, aside!), 'utf8')).toBe(text) // kept for whoever wants to look
      expect(statSync(join(dir, aside!)).mode & 0o777).toBe(0o600)

      await store.save(CREDENTIALS)
      expect(store.lost).toBe(false)
      expect(await store.load()).toEqual(CREDENTIALS)
    },
  )

  it('treats credentials the OS can no longer decrypt, or a damaged value, as lost, not as an error', async () => {
    const file = join(tempDir(), 'secrets.json')
    const cipher = testCipher('os')
    await new EncryptedFileSecretStore(file, cipher).set('twilio-credentials', JSON.stringify(CREDENTIALS))
    const broken = { ...cipher, decrypt: () => Promise.reject(new Error('key unavailable')) }
    const store = new TwilioCredentialStore(new EncryptedFileSecretStore(file, broken), new Redactor())
    expect(await store.load()).toBeNull()
    expect(store.lost).toBe(true)

    const garbled = new EncryptedFileSecretStore(file, cipher)
    await garbled.set('twilio-credentials', '{"accountSid": 7}')
    const again = new TwilioCredentialStore(garbled, new Redactor())
    expect(await again.load()).toBeNull()
    expect(again.lost).toBe(true)
  })

  it('writes the file 0600 even over a stale temporary file with looser permissions', async () => {
    const file = join(tempDir(), 'secrets.json')
    writeFileSync(`${file}.tmp`, 'left over from a crash', { mode: 0o644 })
    const store = new EncryptedFileSecretStore(file, testCipher('os'))
    await store.set('k', 'value')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(await store.get('k')).toBe('value')
  })
})

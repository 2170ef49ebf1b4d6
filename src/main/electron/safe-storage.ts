import type { SafeStorage } from 'electron'
import type { SecretCipher } from '../secrets/secret-store'

/**
 * Electron safeStorage as the secret cipher (Keychain, DPAPI, libsecret/kwallet). On Linux the
 * `basic_text` backend only obfuscates, so it counts as no protection and the user must agree first.
 * Must be called after the app is ready.
 */
export async function createSafeStorageCipher(
  safeStorage: SafeStorage,
  platform = process.platform,
): Promise<SecretCipher> {
  const available = await safeStorage.isAsyncEncryptionAvailable()
  const weakBackend = platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'
  if (!available) {
    return {
      protection: 'none',
      encrypt: async (plain) => Buffer.from(plain, 'utf8'),
      decrypt: async (data) => ({ value: data.toString('utf8') }),
    }
  }
  return {
    protection: weakBackend ? 'none' : 'os',
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    decrypt: async (data) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data)
      return { value: result, stale: shouldReEncrypt }
    },
  }
}

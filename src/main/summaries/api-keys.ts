import type { SummarySettings } from '../../shared/types'
import type { Redactor } from '../secrets/redact'
import type { SecretStore } from '../secrets/secret-store'

/** A key saved before keys had destinations: it was entered for OpenAI. */
const LEGACY_API_KEY = 'llm-api-key'

/**
 * Where a key may be sent: OpenAI, or the origin of a compatible server. Each key is stored under the
 * destination it was entered for and is only ever sent there: switching provider or server address
 * asks for that destination's key instead of handing another host's key to it.
 */
export function destinationOf(settings: SummarySettings): string | null {
  if (settings.provider === 'openai') return 'openai'
  if (settings.provider === 'compatible') {
    try {
      return new URL(settings.baseUrl).origin
    } catch {
      return null
    }
  }
  return null
}

const keyName = (destination: string) => `llm-api-key@${destination}`

/** The summary providers' API keys, each kept in the secret store under the destination it is for. */
export class SummaryKeys {
  constructor(
    private readonly secrets: SecretStore,
    private readonly redactor: Redactor,
  ) {}

  /** The key stored for a destination; OpenAI's may still be under the name used before destinations. */
  async get(destination: string): Promise<string | null> {
    const key = await this.secrets.get(keyName(destination))
    return key ?? (destination === 'openai' ? await this.secrets.get(LEGACY_API_KEY) : null)
  }

  /** The key entered for these settings' provider and address (never one entered for another). */
  async forSettings(settings: SummarySettings): Promise<string | null> {
    const destination = destinationOf(settings)
    const key = destination ? await this.get(destination) : null
    this.redactor.add(key)
    return key
  }

  async save(destination: string, key: string, allowUnprotected: boolean): Promise<void> {
    this.redactor.add(key)
    await this.secrets.set(keyName(destination), key, { allowUnprotected })
  }

  async delete(destination: string): Promise<void> {
    await this.secrets.delete(keyName(destination))
  }
}

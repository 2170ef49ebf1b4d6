import { cpus } from 'node:os'
import { z } from 'zod'
import {
  interfaceSettingsSchema,
  retentionSettingsSchema,
  summarySettingsSchema,
  transcriptionSettingsSchema,
  twilioSettingsSchema,
} from '../../shared/settings'
import { ROLES } from '../../shared/access'

/** A setting's stored shape and the value it has before anyone chose one. */
interface SettingSpec<S extends z.ZodType> {
  schema: S
  defaults: () => z.infer<S>
}
const setting = <S extends z.ZodType>(schema: S, defaults: () => z.infer<S>): SettingSpec<S> => ({
  schema,
  defaults,
})

const installedModelSchema = z.object({
  file: z.string().min(1),
  sha256: z.string(),
  verification: z.enum(['checksum', 'format']),
  name: z.string().optional(),
})

/** What a desk keeps about the office it joined (the session token is a secret, kept apart). */
const deskConnectionSchema = z
  .object({ address: z.string(), fingerprint: z.string(), person: z.string(), role: z.enum(ROLES) })
  .nullable()
export type DeskConnection = z.infer<typeof deskConnectionSchema>

/**
 * Every key the settings table holds, its schema and its default: the one place that knows them. Readers
 * get a complete, valid value; a stored value that no longer fits (an older version, a hand edit) falls
 * back field by field to the default instead of reaching the code that reads it.
 */
export const SETTINGS = {
  /** Which Twilio account the app talks to: the office's, the demo's, or none chosen yet. */
  workspace: setting(z.enum(['twilio', 'demo']).nullable(), () => null),
  twilio: setting(twilioSettingsSchema, () => ({
    pollIntervalSec: 60,
    format: 'mp3' as const,
    deleteAfterDownload: false,
    firstSyncDays: 30,
  })),
  transcription: setting(transcriptionSettingsSchema, () => ({
    modelId: null,
    language: 'auto' as const,
    // One core stays free for the interface and the rest of the computer.
    threads: Math.min(64, Math.max(1, cpus().length - 1)),
    quality: 'balanced' as const,
    staffName: '',
  })),
  'models.installed': setting(z.record(z.string(), installedModelSchema), () => ({})),
  summaries: setting(summarySettingsSchema, () => ({
    provider: 'extractive' as const,
    model: 'gpt-4o-mini',
    baseUrl: 'http://127.0.0.1:11434/v1',
    contextTokens: 16_000,
  })),
  retention: setting(retentionSettingsSchema, () => ({ deleteAudioAfterDays: null })),
  interface: setting(interfaceSettingsSchema, () => ({ locale: null, onboarded: false })),
  /** The office library this desk joined, if any (office mode). */
  'office.desk': setting(deskConnectionSchema, () => null),
  /** Whether this desk transcribes for the office when idle (off until the person offers it). */
  'office.offerWork': setting(z.boolean(), () => false),
} satisfies Record<string, SettingSpec<z.ZodType>>

export type SettingKey = keyof typeof SETTINGS
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]['schema']>

/** The stored value if it fits; for an object, each field that fits, the default for each that does not. */
export function settingFromStored<K extends SettingKey>(key: K, stored: unknown): SettingValue<K> {
  const { schema, defaults } = SETTINGS[key] as unknown as SettingSpec<z.ZodType<SettingValue<K>>>
  const fallback = defaults()
  if (stored === undefined) return fallback
  const whole = schema.safeParse(stored)
  if (whole.success) return whole.data
  if (schema instanceof z.ZodObject && isPlainObject(stored) && isPlainObject(fallback)) {
    const merged: Record<string, unknown> = { ...fallback }
    for (const [field, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const parsed = fieldSchema.safeParse(stored[field])
      if (parsed.success && Object.hasOwn(stored, field)) merged[field] = parsed.data
    }
    return merged as SettingValue<K>
  }
  return fallback
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A value about to be stored; one that does not fit its schema is a programming error and throws. */
export function checkedSetting<K extends SettingKey>(key: K, value: SettingValue<K>): SettingValue<K> {
  return SETTINGS[key].schema.parse(value) as SettingValue<K>
}

/** An object setting with some fields changed; a field given as undefined keeps its value. */
export function patchedSetting<V>(current: V, patch: Partial<V>): V {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined))
  return { ...current, ...defined }
}

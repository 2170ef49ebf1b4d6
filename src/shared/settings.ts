/**
 * The shape of every user setting, shared by the contract (which accepts partial updates of them) and the
 * store (which keeps them, with defaults, in `src/main/store/settings-schema.ts`).
 */
import { z } from 'zod'

export const twilioSettingsSchema = z.object({
  pollIntervalSec: z.number().int().min(15).max(3600),
  format: z.enum(['mp3', 'wav']),
  deleteAfterDownload: z.boolean(),
  /** How far back the very first sync reaches. */
  firstSyncDays: z.number().int().min(1).max(3650),
})

export const transcriptionSettingsSchema = z.object({
  modelId: z.string().min(1).max(100).nullable(),
  language: z.enum(['auto', 'en', 'he']),
  threads: z.number().int().min(1).max(64),
  /** fast = greedy; balanced = greedy, retrying hard passages (default); accurate = beam search. */
  quality: z.enum(['fast', 'balanced', 'accurate']),
  staffName: z.string().trim().max(80),
})

export const summarySettingsSchema = z.object({
  provider: z.enum(['extractive', 'openai', 'compatible']),
  model: z.string().trim().min(1).max(200),
  /** The OpenAI-compatible server (Ollama, LM Studio, llama.cpp server, a gateway). */
  baseUrl: z.string().trim().max(500),
  contextTokens: z.number().int().min(1000).max(2_000_000),
})

export const retentionSettingsSchema = z.object({
  /** Delete downloaded audio this many days after the call; null keeps it forever. Text is always kept. */
  deleteAudioAfterDays: z.number().int().min(1).max(3650).nullable(),
})

/** How this person uses the app: kept in main so it reaches every window and survives a new host port. */
export const interfaceSettingsSchema = z.object({
  /** null follows the operating system. */
  locale: z.enum(['en', 'he']).nullable(),
  /** The first-run setup was finished or skipped. */
  onboarded: z.boolean(),
})

export type TwilioSettings = z.infer<typeof twilioSettingsSchema>
export type TranscriptionSettings = z.infer<typeof transcriptionSettingsSchema>
export type SummarySettings = z.infer<typeof summarySettingsSchema>
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>
export type InterfaceSettings = z.infer<typeof interfaceSettingsSchema>

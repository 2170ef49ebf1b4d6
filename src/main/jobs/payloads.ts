import { z } from 'zod'
import type { JobKind } from '../../shared/types'

/**
 * What each kind of job carries besides its subject. The runner parses a claimed job's payload with its
 * kind's schema before any handler sees it, so handlers get typed data and a corrupt row fails alone.
 */
export const JOB_PAYLOADS = {
  'recording-download': z.null(),
  'recording-transcription': z.null(),
  /** force: summarize again even if this transcript already has a summary from this prompt. */
  'recording-summary': z.object({ force: z.boolean() }).strict().nullable(),
  'model-download': z.null(),
} satisfies Record<JobKind, z.ZodType>

export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_PAYLOADS)[K]>

import { z } from 'zod'

const cited = z.array(z.number().int().nonnegative()).min(1, 'must cite at least one transcript segment')

/** What a model must return for a call (validated whatever the server claims to support). */
export const llmSummarySchema = z
  .object({
    summary: z.string().trim().min(1).max(3000),
    intent: z.string().trim().max(500).nullable(),
    sentiment: z.enum(['positive', 'neutral', 'negative', 'mixed']).nullable(),
    followUp: z.boolean(),
    topics: z.array(z.string().trim().min(1).max(80)).max(12),
    actionItems: z
      .array(
        z.object({
          text: z.string().trim().min(1).max(500),
          owner: z.string().max(120).nullable(),
          due: z.string().max(120).nullable(),
          segments: cited,
        }),
      )
      .max(25),
    keyPoints: z.array(z.object({ text: z.string().trim().min(1).max(500), segments: cited })).max(25),
  })
  .strict()

export type LlmSummary = z.infer<typeof llmSummarySchema>

/** The same shape as JSON Schema, for servers that enforce structured outputs (strict mode). */
export const LLM_SUMMARY_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['summary', 'intent', 'sentiment', 'followUp', 'topics', 'actionItems', 'keyPoints'],
  properties: {
    summary: { type: 'string' },
    intent: { type: ['string', 'null'] },
    sentiment: { type: ['string', 'null'], enum: ['positive', 'neutral', 'negative', 'mixed', null] },
    followUp: { type: 'boolean' },
    topics: { type: 'array', items: { type: 'string' } },
    actionItems: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'owner', 'due', 'segments'],
        properties: {
          text: { type: 'string' },
          owner: { type: ['string', 'null'] },
          due: { type: ['string', 'null'] },
          segments: { type: 'array', items: { type: 'integer' } },
        },
      },
    },
    keyPoints: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'segments'],
        properties: { text: { type: 'string' }, segments: { type: 'array', items: { type: 'integer' } } },
      },
    },
  },
} as const

/** Parses and validates a model's reply; citations must name segments that exist. Throws with the reason. */
export function parseSummary(content: string, segmentIndexes: Set<number>): LlmSummary {
  let json: unknown
  try {
    json = JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, ''))
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`)
  }
  const parsed = llmSummarySchema.safeParse(json)
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'reply'}: ${issue.message}`).join('; '),
    )
  }
  const bad = [...parsed.data.actionItems, ...parsed.data.keyPoints]
    .flatMap((item) => item.segments)
    .filter((index) => !segmentIndexes.has(index))
  if (bad.length) throw new Error(`cites segments that do not exist: ${[...new Set(bad)].join(', ')}`)
  return parsed.data
}

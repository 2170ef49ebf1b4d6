import { createHash } from 'node:crypto'

export const PROMPT_VERSION = 'call-summary-v1'

export interface PromptSegment {
  index: number
  speaker: string | null
  text: string
}

const LANGUAGE_NAMES: Record<string, string> = { he: 'Hebrew', en: 'English' }

export function systemPrompt(language: string | null): string {
  const name = language ? (LANGUAGE_NAMES[language] ?? language) : null
  return [
    'You summarize phone calls to a small office for the staff who review them.',
    `Write every field in ${name ?? 'the language the call was held in'}.`,
    'The transcript lines are numbered like [12]. Every action item and key point must cite the numbers of the lines it comes from in "segments"; cite only numbers that appear in the transcript.',
    'Action items: things someone promised or was asked to do. Give the owner ("caller", "staff" or a name) and a due time only if they were said; otherwise null.',
    'Placeholders such as [PHONE_1] or [EMAIL_1] stand for personal data: copy them as they are, never guess what they hide.',
    'Reply with JSON only: {"summary","intent","sentiment" (positive|neutral|negative|mixed|null),"followUp" (boolean),"topics","actionItems":[{"text","owner","due","segments"}],"keyPoints":[{"text","segments"}]}.',
  ].join('\n')
}

export function transcriptText(segments: PromptSegment[]): string {
  return segments.map((s) => `[${s.index}] ${s.speaker ?? 'Speaker'}: ${s.text}`).join('\n')
}

/** Identifies "the same prompt": a summary is never made twice for the same transcript and prompt. */
export function promptHash(provider: string, model: string): string {
  return createHash('sha256')
    .update(JSON.stringify([PROMPT_VERSION, systemPrompt('xx'), provider, model]))
    .digest('hex')
    .slice(0, 16)
}

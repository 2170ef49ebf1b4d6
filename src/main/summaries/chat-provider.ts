import { notice } from '../../shared/notice'
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { LLM_SUMMARY_JSON_SCHEMA, parseSummary, type LlmSummary } from './schema'
import { systemPrompt, transcriptText, type PromptSegment } from './prompt'
import { SummaryError, type SummarizeInput, type SummaryProvider } from './provider'

export interface ChatProviderOptions {
  id: 'openai' | 'compatible'
  model: string
  apiKey: string | null
  /** An OpenAI-compatible server (Ollama, LM Studio, llama.cpp, a gateway); OpenAI's own when unset. */
  baseURL?: string | undefined
  /** How much transcript fits in one request; longer calls are summarized in parts and merged. */
  contextTokens: number
  timeoutMs?: number
  maxRetries?: number
}

const approxTokens = (text: string) => Math.ceil(text.length / 3)

/**
 * Summaries from OpenAI or any OpenAI-compatible server through the official SDK. The SDK retries 429
 * and 5xx with backoff (honouring Retry-After); this class adds structured outputs where supported, one
 * repair round for a malformed reply, and map-reduce for calls longer than the context.
 */
export class ChatProvider implements SummaryProvider {
  readonly remote = true
  private readonly client: OpenAI
  private structuredOutputs = true

  constructor(private readonly options: ChatProviderOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey ?? 'not-needed',
      baseURL: options.baseURL,
      timeout: options.timeoutMs ?? 120_000,
      maxRetries: options.maxRetries ?? 3,
    })
  }

  get id() {
    return this.options.id
  }

  get model() {
    return this.options.model
  }

  async summarize(input: SummarizeInput, signal: AbortSignal): Promise<LlmSummary> {
    const budget = Math.max(500, this.options.contextTokens - 1500)
    const parts: PromptSegment[][] = [[]]
    let used = 0
    for (const segment of input.segments) {
      const cost = approxTokens(segment.text) + 8
      if (used + cost > budget && (parts.at(-1) as PromptSegment[]).length > 0) {
        parts.push([])
        used = 0
      }
      ;(parts.at(-1) as PromptSegment[]).push(segment)
      used += cost
    }
    const all = new Set(input.segments.map((s) => s.index))
    const partials: LlmSummary[] = []
    for (const part of parts) {
      partials.push(
        await this.complete(
          [
            { role: 'system', content: systemPrompt(input.language) },
            { role: 'user', content: transcriptText(part) },
          ],
          new Set(part.map((s) => s.index)),
          signal,
        ),
      )
    }
    if (partials.length === 1) return partials[0] as LlmSummary
    const merge = [
      'These are summaries of consecutive parts of one call, as JSON. Merge them into one summary of the whole call in the same JSON shape, keeping every citation as it is.',
      ...partials.map((partial, i) => `Part ${i + 1}: ${JSON.stringify(partial)}`),
    ].join('\n\n')
    return this.complete(
      [
        { role: 'system', content: systemPrompt(input.language) },
        { role: 'user', content: merge },
      ],
      all,
      signal,
    )
  }

  private async complete(
    messages: ChatCompletionMessageParam[],
    cited: Set<number>,
    signal: AbortSignal,
  ): Promise<LlmSummary> {
    const first = await this.request(messages, signal)
    try {
      return parseSummary(first, cited)
    } catch (error) {
      // One repair round: show the model what was wrong and ask for the corrected JSON only.
      const repaired = await this.request(
        [
          ...messages,
          { role: 'assistant', content: first },
          {
            role: 'user',
            content: `That reply is not usable: ${(error as Error).message}. Reply with only the corrected JSON.`,
          },
        ],
        signal,
      )
      try {
        return parseSummary(repaired, cited)
      } catch (again) {
        throw new SummaryError(notice('summary.invalid-reply', { detail: (again as Error).message }), false)
      }
    }
  }

  private async request(messages: ChatCompletionMessageParam[], signal: AbortSignal): Promise<string> {
    try {
      const completion = await this.client.chat.completions.create(
        {
          model: this.options.model,
          messages,
          temperature: 0.2,
          ...(this.structuredOutputs
            ? {
                response_format: {
                  type: 'json_schema' as const,
                  json_schema: {
                    name: 'call_summary',
                    strict: true,
                    schema: LLM_SUMMARY_JSON_SCHEMA as unknown as Record<string, unknown>,
                  },
                },
              }
            : {}),
        },
        { signal },
      )
      return completion.choices[0]?.message?.content ?? ''
    } catch (error) {
      if (
        error instanceof APIError &&
        error.status === 400 &&
        this.structuredOutputs &&
        /response_format|json_schema|structured/i.test(error.message)
      ) {
        this.structuredOutputs = false // this server does not do structured outputs: ask for JSON in words
        return this.request(messages, signal)
      }
      throw describe(error, this.options)
    }
  }
}

function describe(error: unknown, options: ChatProviderOptions): Error {
  const where = options.baseURL ?? 'OpenAI'
  if (error instanceof APIUserAbortError) return error
  if (error instanceof APIConnectionTimeoutError)
    return new SummaryError(notice('summary.timeout', { server: where }), true)
  if (error instanceof APIConnectionError)
    return new SummaryError(notice('summary.unreachable', { server: where }), true)
  if (error instanceof APIError) {
    if (error.status === 401 || error.status === 403)
      return new SummaryError(notice('summary.key-rejected', { server: where }), false)
    if (error.status === 404)
      return new SummaryError(notice('summary.unknown-model', { server: where, model: options.model }), false)
    if (error.status === 429) return new SummaryError(notice('summary.rate-limited', { server: where }), true)
    if ((error.status ?? 0) >= 500)
      return new SummaryError(
        notice('summary.server-error', { server: where, status: error.status ?? 0 }),
        true,
      )
    return new SummaryError(notice('summary.refused', { server: where, status: error.status ?? 0 }), false)
  }
  return error instanceof Error ? error : new Error(String(error))
}

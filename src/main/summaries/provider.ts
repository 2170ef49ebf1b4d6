import { NoticeError, type Notice } from '../../shared/notice'
import type { LlmSummary } from './schema'
import type { PromptSegment } from './prompt'

export interface SummarizeInput {
  segments: PromptSegment[]
  language: string | null
}

export interface SummaryProvider {
  readonly id: 'openai' | 'compatible' | 'extractive'
  readonly model: string
  /** True when text leaves this computer: it is masked first. */
  readonly remote: boolean
  summarize(input: SummarizeInput, signal: AbortSignal): Promise<LlmSummary>
}

/** A summary that could not be made; `retryable` says whether trying later can help. */
export class SummaryError extends NoticeError {
  constructor(
    notice: Notice,
    readonly retryable: boolean,
  ) {
    super(notice)
    this.name = 'SummaryError'
  }
}

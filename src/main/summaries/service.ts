import { notice } from '../../shared/notice'
import type { JobView, SummarySettings, SummarySettingsView } from '../../shared/types'
import { NotFoundError, UserFacingError } from '../errors'
import { PRIORITY, type JobQueue } from '../jobs/queue'
import { JobError, type JobHandler } from '../jobs/runner'
import type { Redactor } from '../secrets/redact'
import type { SecretStore } from '../secrets/secret-store'
import type { Library } from '../store/library'
import { ChatProvider } from './chat-provider'
import { ExtractiveProvider } from './extractive'
import type { SummaryProvider } from './provider'
import { destinationOf, SummaryKeys } from './api-keys'
import { createSummarizeHandler } from './summarize-job'

/** Which summary provider is configured, its key (in the secret store), and the summarize job. */
export class SummaryService {
  private readonly keys: SummaryKeys

  constructor(
    private readonly deps: {
      library: Library
      queue: JobQueue
      secrets: SecretStore
      redactor: Redactor
      openAiBaseUrl?: string | undefined
      timeoutMs?: number | undefined
    },
  ) {
    this.keys = new SummaryKeys(deps.secrets, deps.redactor)
  }

  settings(): SummarySettings {
    return this.deps.library.settings.get('summaries')
  }

  async view(): Promise<SummarySettingsView> {
    const settings = this.settings()
    const hasApiKey = (await this.keys.forSettings(settings)) !== null
    return { ...settings, hasApiKey }
  }

  async update(
    patch: Partial<SummarySettings> & { apiKey?: string | null; allowUnprotected?: boolean },
  ): Promise<void> {
    const { apiKey, allowUnprotected, ...settings } = patch
    const next = this.deps.library.settings.patched('summaries', settings)
    if (next.provider === 'compatible') {
      try {
        new URL(next.baseUrl)
      } catch {
        throw new UserFacingError(
          'invalid-argument',
          notice('summary.bad-address', { address: next.baseUrl }),
        )
      }
    }
    const destination = destinationOf(next)
    // OpenAI answers nothing without a key: refuse the choice now rather than fail every summary later.
    const openAiKeyAfter = apiKey === null ? null : (apiKey ?? (await this.keys.get('openai')))
    if (next.provider === 'openai' && !openAiKeyAfter)
      throw new UserFacingError('invalid-argument', notice('summary.needs-key'))
    if (destination && apiKey === null) await this.keys.delete(destination)
    else if (destination && apiKey) await this.keys.save(destination, apiKey, allowUnprotected ?? false)
    await this.deps.library.settings.set('summaries', next)
  }

  /** Summarizes a call's transcript again now (the user asked), replacing its summary. */
  async resummarize(callSid: string): Promise<JobView> {
    const { library, queue } = this.deps
    const call = await library.calls.getCall(callSid)
    const recording = call ? await library.recordings.latestOf(call.id) : undefined
    if (!recording || !(await library.transcripts.ofRecording(recording.id)))
      throw new NotFoundError(notice('summary.no-transcript'))
    return queue.enqueue('recording-summary', recording.sid, {
      priority: PRIORITY.user,
      force: true,
      payload: { force: true },
    })
  }

  async provider(): Promise<SummaryProvider> {
    const settings = this.settings()
    if (settings.provider === 'extractive') return new ExtractiveProvider()
    const apiKey = await this.keys.forSettings(settings)
    if (settings.provider === 'openai' && !apiKey)
      throw new JobError(notice('summary.needs-key'), { retryable: false })
    return new ChatProvider({
      id: settings.provider,
      model: settings.model,
      apiKey,
      baseURL: settings.provider === 'openai' ? this.deps.openAiBaseUrl : settings.baseUrl,
      contextTokens: settings.contextTokens,
      timeoutMs: this.deps.timeoutMs,
    })
  }

  /** The summarize job (./summarize-job). */
  handler(): JobHandler<'recording-summary'> {
    return createSummarizeHandler(this.deps.library, () => this.provider())
  }
}

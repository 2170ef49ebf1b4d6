import type { JobView, SummarySettings, SummarySettingsView } from '../../shared/types'
import { NotFoundError, UserFacingError } from '../errors'
import { PRIORITY, type JobQueue } from '../jobs/queue'
import { JobError, type JobHandler } from '../jobs/runner'
import type { Redactor } from '../secrets/redact'
import type { SecretStore } from '../secrets/secret-store'
import type { Store } from '../store'
import { ChatProvider } from './chat-provider'
import { ExtractiveProvider } from './extractive'
import { maskTexts, unmask } from './mask'
import { promptHash } from './prompt'
import { SummaryError, type SummaryProvider } from './provider'

/** A key saved before keys had destinations: it was entered for OpenAI. */
const LEGACY_API_KEY = 'llm-api-key'

/**
 * Where a key may be sent: OpenAI, or the origin of a compatible server. Each key is stored under the
 * destination it was entered for and is only ever sent there: switching provider or server address
 * asks for that destination's key instead of handing another host's key to it.
 */
function destinationOf(settings: SummarySettings): string | null {
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

function isLocal(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)
  } catch {
    return false
  }
}

/** Which summary provider is configured, its key (in the secret store), and the summarize job. */
export class SummaryService {
  constructor(
    private readonly deps: {
      store: Store
      queue: JobQueue
      secrets: SecretStore
      redactor: Redactor
      openAiBaseUrl?: string | undefined
      timeoutMs?: number | undefined
    },
  ) {}

  settings(): SummarySettings {
    return this.deps.store.settings.get('summaries')
  }

  async view(): Promise<SummarySettingsView> {
    const settings = this.settings()
    const hasApiKey = (await this.apiKey()) !== null
    const masked =
      'the transcript, with phone numbers, e-mail addresses, card numbers, ID numbers and IBANs replaced by placeholders,'
    const sends =
      settings.provider === 'extractive'
        ? 'Nothing leaves this computer: summaries are made locally from the transcript.'
        : settings.provider === 'openai'
          ? `For each call, ${masked} is sent to OpenAI (api.openai.com) with your API key, to the model ${settings.model}.`
          : isLocal(settings.baseUrl)
            ? `For each call, ${masked} is sent to the server on this computer at ${settings.baseUrl} (model ${settings.model}). Nothing leaves the computer.`
            : `For each call, ${masked} is sent to ${settings.baseUrl} (model ${settings.model}).`
    return { ...settings, hasApiKey, sends }
  }

  async update(
    patch: Partial<SummarySettings> & { apiKey?: string | null; allowUnprotected?: boolean },
  ): Promise<void> {
    const { apiKey, allowUnprotected, ...settings } = patch
    const next = this.deps.store.settings.patched('summaries', settings)
    if (next.provider === 'compatible') {
      try {
        new URL(next.baseUrl)
      } catch {
        throw new UserFacingError(
          'invalid-argument',
          `"${next.baseUrl}" is not a server address (for example http://127.0.0.1:11434/v1).`,
        )
      }
    }
    const destination = destinationOf(next)
    // OpenAI answers nothing without a key: refuse the choice now rather than fail every summary later.
    const openAiKeyAfter = apiKey === null ? null : (apiKey ?? (await this.keyFor('openai')))
    if (next.provider === 'openai' && !openAiKeyAfter)
      throw new UserFacingError(
        'invalid-argument',
        'OpenAI needs an API key: paste it in the API key field, then save.',
      )
    if (destination && apiKey === null) await this.deps.secrets.delete(keyName(destination))
    else if (destination && apiKey) {
      this.deps.redactor.add(apiKey)
      await this.deps.secrets.set(keyName(destination), apiKey, {
        allowUnprotected: allowUnprotected ?? false,
      })
    }
    this.deps.store.settings.set('summaries', next)
  }

  /** Summarizes a call's transcript again now (the user asked), replacing its summary. */
  resummarize(callSid: string): JobView {
    const { store, queue } = this.deps
    const call = store.calls.getCall(callSid)
    const recording = call ? store.recordings.latestOf(call.id) : undefined
    if (!recording || !store.transcripts.ofRecording(recording.id))
      throw new NotFoundError('This call has no transcript to summarize yet.')
    return queue.enqueue('recording-summary', recording.sid, {
      priority: PRIORITY.user,
      force: true,
      payload: { force: true },
    })
  }

  async provider(): Promise<SummaryProvider> {
    const settings = this.settings()
    if (settings.provider === 'extractive') return new ExtractiveProvider()
    const apiKey = await this.apiKey()
    if (settings.provider === 'openai' && !apiKey)
      throw new JobError('Add an OpenAI API key in Settings, or choose another summary provider.', {
        retryable: false,
      })
    return new ChatProvider({
      id: settings.provider,
      model: settings.model,
      apiKey,
      baseURL: settings.provider === 'openai' ? this.deps.openAiBaseUrl : settings.baseUrl,
      contextTokens: settings.contextTokens,
      timeoutMs: this.deps.timeoutMs,
    })
  }

  /**
   * The summarize job: masks what is sent, validates what comes back (citations must exist), puts the
   * real values back, and stores the summary once per transcript version and prompt.
   */
  handler(): JobHandler<'recording-summary'> {
    return async (job, { signal }) => {
      const { store } = this.deps
      const recording = store.recordings.get(job.subject)
      const transcript = recording ? store.transcripts.ofRecording(recording.id) : null
      if (!recording || !transcript)
        throw new JobError('There is no transcript to summarize', { retryable: false })
      const provider = await this.provider()
      const hash = promptHash(provider.id, provider.model)
      const forced = job.payload?.force === true
      if (!forced && store.summaries.has(transcript.id, transcript.contentHash, hash)) return
      const call = store.calls.getCall(recording.call_sid)
      const masking = provider.remote
        ? maskTexts(
            transcript.segments.map((s) => s.text),
            call ? [call.from_number, call.to_number] : [],
          )
        : { text: transcript.segments.map((s) => s.text), values: new Map<string, string>() }
      let result
      try {
        result = await provider.summarize(
          {
            language: transcript.language,
            segments: transcript.segments.map((s, i) => ({
              index: s.index,
              speaker: s.speaker,
              text: masking.text[i] as string,
            })),
          },
          signal,
        )
      } catch (error) {
        if (error instanceof SummaryError) throw new JobError(error.message, { retryable: error.retryable })
        throw error
      }
      const summary = unmask(result, masking.values)
      return () => {
        if (forced) store.summaries.forget(transcript.id, transcript.contentHash, hash)
        store.summaries.save(transcript, hash, {
          provider: provider.id,
          model: provider.model,
          summary: summary.summary,
          intent: summary.intent,
          sentiment: summary.sentiment,
          followUp: summary.followUp,
          topics: summary.topics,
          actionItems: summary.actionItems.map(({ segments, ...item }) => ({
            ...item,
            citations: segments.map((segmentIndex) => ({ segmentIndex })),
          })),
          keyPoints: summary.keyPoints.map(({ segments, ...point }) => ({
            ...point,
            citations: segments.map((segmentIndex) => ({ segmentIndex })),
          })),
        })
      }
    }
  }

  /** The key entered for the current provider and address (never one entered for another). */
  private async apiKey(): Promise<string | null> {
    const destination = destinationOf(this.settings())
    const key = destination ? await this.keyFor(destination) : null
    this.deps.redactor.add(key)
    return key
  }

  /** The key stored for a destination; OpenAI's may still be under the name used before destinations. */
  private async keyFor(destination: string): Promise<string | null> {
    const key = await this.deps.secrets.get(keyName(destination))
    return key ?? (destination === 'openai' ? await this.deps.secrets.get(LEGACY_API_KEY) : null)
  }
}

import { notice } from '../../shared/notice'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { ConnectionTestResult, WorkspaceView } from '../../shared/types'
import { UserFacingError } from '../errors'
import type { JobQueue } from '../jobs/queue'
import type { Library } from '../store/library'
import { classifyTwilioError, connect, type TwilioConnection } from '../twilio/client'
import {
  credentialFormatProblem,
  type TwilioCredentialStore,
  type TwilioCredentials,
} from '../twilio/credentials'
import { importedFrom, resetTwilioSync } from '../twilio/sync'
import { startDemoAccount, type DemoAccount } from './demo'

export type WorkspaceMode = WorkspaceView['mode']

function mask(accountSid: string): string {
  return `${accountSid.slice(0, 2)}…${accountSid.slice(-4)}`
}

/**
 * Which Twilio account the app talks to: the office's (credentials in the secret store) or the demo's
 * (an emulator in this process with the sample calls). Everything that needs Twilio asks `connection()`.
 */
export class Workspace {
  private demo: DemoAccount | null = null
  private cached: TwilioConnection | null | undefined
  private readonly accountListeners = new Set<() => void>()

  constructor(
    private readonly deps: {
      library: Library
      credentials: TwilioCredentialStore
      apiOrigin: string
      demoAudioDir: string | null
      demoProcessingMs?: number | undefined
      recordingsDir: string
      queue: JobQueue
    },
  ) {}

  get mode(): WorkspaceMode {
    return this.deps.library.settings.get('workspace')
  }

  /** Brings the workspace back after a restart (the demo's emulator lives only as long as the process). */
  async resume(): Promise<void> {
    if (this.mode === 'demo') await this.ensureDemo()
  }

  async view(): Promise<WorkspaceView> {
    const credentials =
      this.mode === 'twilio' || this.mode === null ? await this.deps.credentials.load() : null
    return {
      mode: this.mode,
      twilio: {
        configured: credentials !== null,
        accountSid: credentials ? mask(credentials.accountSid) : null,
        authKind: credentials?.auth.kind ?? null,
        protection: this.deps.credentials.protection,
        savedCredentialsLost: credentials === null && this.deps.credentials.lost,
      },
      settings: this.deps.library.settings.get('twilio'),
      importedFrom: await importedFrom(this.deps.library),
    }
  }

  async connection(): Promise<TwilioConnection | null> {
    if (this.cached !== undefined) return this.cached
    if (this.mode === 'demo') {
      const demo = await this.ensureDemo()
      this.cached = connect(demo.credentials, demo.emulator.origin)
    } else {
      const credentials = await this.deps.credentials.load()
      this.cached = credentials ? connect(credentials, this.deps.apiOrigin) : null
    }
    return this.cached
  }

  async startDemo(): Promise<void> {
    if (!this.deps.demoAudioDir) throw new UserFacingError('not-found', notice('demo.unavailable'))
    await this.ensureDemo()
    if (this.mode !== 'demo') await resetTwilioSync(this.deps.library)
    await this.deps.library.settings.set('workspace', 'demo')
    this.accountChanged()
  }

  /** Checks credentials against Twilio without saving them: format first, then one small request. */
  async test(credentials: TwilioCredentials): Promise<ConnectionTestResult> {
    const problem = credentialFormatProblem(credentials)
    if (problem) return { ok: false, problem: 'format', message: problem }
    this.deps.credentials.register(credentials)
    const connection = connect(credentials, this.deps.apiOrigin)
    try {
      await connection.client.recordings.list({ limit: 1 })
      return { ok: true, message: notice('twilio.connected') }
    } catch (error) {
      const failure = classifyTwilioError(error, connection)
      const problems = {
        credentials: 'rejected',
        'rate-limited': 'rate-limited',
        network: 'network',
        server: 'server',
        'not-found': 'server',
      } as const
      return { ok: false, problem: problems[failure.kind], message: failure.notice }
    }
  }

  /** Saves the office's account and switches to it (leaving the demo, whose sample calls are removed). */
  async saveCredentials(
    credentials: TwilioCredentials,
    options: { allowUnprotected?: boolean } = {},
  ): Promise<void> {
    const problem = credentialFormatProblem(credentials)
    if (problem) throw new UserFacingError('invalid-argument', problem)
    const previous = this.mode === 'twilio' ? await this.deps.credentials.load() : null
    await this.deps.credentials.save(credentials, options)
    await this.leaveDemo()
    // A new account (or the first after the demo) is imported from scratch: the last N days.
    if (previous?.accountSid !== credentials.accountSid) await resetTwilioSync(this.deps.library)
    await this.deps.library.settings.set('workspace', 'twilio')
    this.accountChanged()
  }

  async clearCredentials(): Promise<void> {
    await this.deps.credentials.clear()
    if (this.mode === 'twilio') await this.deps.library.settings.set('workspace', null)
    this.accountChanged()
  }

  /**
   * Calls `listener` whenever the account the app talks to changes (new credentials, the demo, none).
   * Returns the unsubscribe.
   */
  onAccountChanged(listener: () => void): () => void {
    this.accountListeners.add(listener)
    return () => this.accountListeners.delete(listener)
  }

  private accountChanged(): void {
    this.cached = undefined
    for (const listener of this.accountListeners) listener()
  }

  async close(): Promise<void> {
    await this.demo?.emulator.close()
    this.demo = null
  }

  private async ensureDemo(): Promise<DemoAccount> {
    if (!this.demo) {
      if (!this.deps.demoAudioDir) throw new UserFacingError('not-found', notice('demo.unavailable'))
      this.demo = await startDemoAccount(this.deps.demoAudioDir, { processingMs: this.deps.demoProcessingMs })
    }
    return this.demo
  }

  private async leaveDemo(): Promise<void> {
    if (this.mode !== 'demo') return
    const demo = await this.ensureDemo()
    const { library } = this.deps
    for (const sid of demo.emulator.recordings.keys()) await this.deps.queue.discard(sid)
    const files = await library.transaction(async () => {
      const removed: string[] = []
      for (const sid of demo.emulator.calls.keys()) removed.push(...(await library.calls.deleteCall(sid)))
      return removed
    })
    await Promise.all(files.map((file) => rm(join(this.deps.recordingsDir, file), { force: true })))
    await this.close()
  }
}

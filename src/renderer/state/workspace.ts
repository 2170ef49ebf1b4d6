import { create } from 'zustand'
import type { ConnectionTestResult, TwilioSettings, WorkspaceView } from '../../shared/types'
import { api, ApiError, unwrap } from '../api'

export type CredentialsInput =
  | { accountSid: string; auth: { kind: 'api-key'; keySid: string; keySecret: string } }
  | { accountSid: string; auth: { kind: 'auth-token'; authToken: string } }

interface WorkspaceState {
  view: WorkspaceView | null
  error: string | null
  load(): Promise<void>
  startDemo(): Promise<void>
  test(credentials: CredentialsInput): Promise<ConnectionTestResult>
  /** Resolves to 'needs-consent' when the OS cannot protect the secret and the user has not agreed yet. */
  save(
    credentials: CredentialsInput,
    allowUnprotected?: boolean,
  ): Promise<'saved' | 'needs-consent' | 'error'>
  disconnect(): Promise<void>
  updateSettings(patch: Partial<TwilioSettings>): Promise<void>
  importOlder(days: number): Promise<void>
}

export const useWorkspace = create<WorkspaceState>((set) => ({
  view: null,
  error: null,
  async load() {
    try {
      set({ view: unwrap(await api().call['workspace.get']()), error: null })
    } catch (error) {
      set({ error: (error as Error).message })
    }
  },
  async startDemo() {
    try {
      set({ view: unwrap(await api().call['workspace.startDemo']()), error: null })
    } catch (error) {
      set({ error: (error as Error).message })
    }
  },
  async test(credentials) {
    return unwrap(await api().call['twilio.testConnection']({ credentials }))
  },
  async save(credentials, allowUnprotected = false) {
    try {
      set({
        view: unwrap(await api().call['twilio.saveCredentials']({ credentials, allowUnprotected })),
        error: null,
      })
      return 'saved'
    } catch (error) {
      if (error instanceof ApiError && error.code === 'needs-consent') return 'needs-consent'
      set({ error: (error as Error).message })
      return 'error'
    }
  },
  async disconnect() {
    set({ view: unwrap(await api().call['twilio.clearCredentials']()) })
  },
  async updateSettings(patch) {
    try {
      set({ view: unwrap(await api().call['twilio.updateSettings'](patch)), error: null })
    } catch (error) {
      set({ error: (error as Error).message })
    }
  },
  async importOlder(days) {
    try {
      set({ view: unwrap(await api().call['twilio.importOlder']({ days })), error: null })
    } catch (error) {
      set({ error: (error as Error).message })
    }
  },
}))

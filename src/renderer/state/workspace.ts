import { create } from 'zustand'
import type { RequestInput } from '../../shared/contract'
import type { ConnectionTestResult, WorkspaceView } from '../../shared/types'
import { api, unwrap } from '../api'
import { attempt, errorMessage, needsConsent } from './errors'

export type CredentialsInput = RequestInput<'twilio.testConnection'>['credentials']

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
  updateSettings(patch: RequestInput<'twilio.updateSettings'>): Promise<void>
  importOlder(days: number): Promise<void>
}

export const useWorkspace = create<WorkspaceState>((set) => {
  const show = async (work: () => Promise<WorkspaceView>) => {
    await attempt(set, async () => set({ view: await work() }))
  }
  return {
    view: null,
    error: null,
    load: () => show(async () => unwrap(await api().call['workspace.get']())),
    startDemo: () => show(async () => unwrap(await api().call['workspace.startDemo']())),
    async test(credentials) {
      return unwrap(await api().call['twilio.testConnection']({ credentials }))
    },
    async save(credentials, allowUnprotected = false) {
      try {
        const view = unwrap(await api().call['twilio.saveCredentials']({ credentials, allowUnprotected }))
        set({ view, error: null })
        return 'saved'
      } catch (error) {
        if (needsConsent(error)) return 'needs-consent'
        set({ error: errorMessage(error) })
        return 'error'
      }
    },
    disconnect: () => show(async () => unwrap(await api().call['twilio.clearCredentials']())),
    updateSettings: (patch) => show(async () => unwrap(await api().call['twilio.updateSettings'](patch))),
    importOlder: (days) => show(async () => unwrap(await api().call['twilio.importOlder']({ days }))),
  }
})

import { create } from 'zustand'
import type { Role } from '../../shared/access'
import type { OfficeInviteResult, OfficePeopleView, OfficeStatus } from '../../shared/types'
import { api, unwrap } from '../api'
import { attempt, errorMessage, needsConsent } from './errors'

interface OfficeState {
  status: OfficeStatus | null
  people: OfficePeopleView | null
  /** The office's people by name, offered when assigning a call (empty on a desktop library). */
  names: string[]
  /** The code just made, shown until another is made or the panel closes. */
  invitation: OfficeInviteResult | null
  error: string | null
  load(): Promise<void>
  /** Resolves to 'needs-consent' when the OS cannot protect the session and the user has not agreed yet. */
  connect(
    address: string,
    code: string,
    allowUnprotected?: boolean,
  ): Promise<'joined' | 'needs-consent' | 'error'>
  disconnect(): Promise<void>
  offerWork(enabled: boolean): Promise<void>
  loadPeople(): Promise<void>
  loadNames(): Promise<void>
  invite(name: string, role: Role): Promise<void>
  revoke(sessionId: number): Promise<void>
  /** An update from main (the connection came or went, the session was revoked). */
  set(status: OfficeStatus): void
}

/** Whether this window shows the office's library (a desk that joined), as opposed to this computer's. */
export const isDesk = (status: OfficeStatus | null): status is Extract<OfficeStatus, { kind: 'desk' }> =>
  status?.kind === 'desk'

/** Whether the person at this window may change what the office shares. */
export const isAdmin = (status: OfficeStatus | null): boolean =>
  status === null || status.kind === 'desktop' || status.role === 'admin'

export const useOffice = create<OfficeState>((set, get) => ({
  status: null,
  people: null,
  names: [],
  invitation: null,
  error: null,
  load: async () => {
    await attempt(set, async () => set({ status: unwrap(await api().call['office.status']()) }))
  },
  async connect(address, code, allowUnprotected = false) {
    try {
      const status = unwrap(await api().call['office.connect']({ address, code, allowUnprotected }))
      // A desk has nothing to set up itself: the office server transcribes and summarizes.
      unwrap(await api().call['preferences.update']({ onboarded: true }))
      set({ status, error: null })
      return 'joined'
    } catch (error) {
      if (needsConsent(error)) return 'needs-consent'
      set({ error: errorMessage(error) })
      return 'error'
    }
  },
  disconnect: async () => {
    await attempt(set, async () =>
      set({ status: unwrap(await api().call['office.disconnect']()), people: null }),
    )
  },
  offerWork: async (enabled) => {
    const before = get().status
    // The checkbox follows the click at once; main's answer (or the old status, if refused) replaces it.
    if (isDesk(before)) set({ status: { ...before, work: { ...before.work, offered: enabled } } })
    const done = await attempt(set, async () =>
      set({ status: unwrap(await api().call['office.offerWork']({ enabled })) }),
    )
    if (!done) set({ status: before })
  },
  loadNames: async () => {
    await attempt(set, async () => set({ names: unwrap(await api().call['office.names']()).names }))
  },
  loadPeople: async () => {
    await attempt(set, async () => set({ people: unwrap(await api().call['office.people']()) }))
  },
  invite: async (name, role) => {
    await attempt(set, async () => {
      const invitation = unwrap(await api().call['office.invite']({ name, role }))
      set({ invitation, people: invitation.people })
    })
  },
  revoke: async (sessionId) => {
    await attempt(set, async () => set({ people: unwrap(await api().call['office.revoke']({ sessionId })) }))
  },
  set: (status) => set({ status }),
}))

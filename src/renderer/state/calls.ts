import { create } from 'zustand'
import type { CallListItem } from '../../shared/types'
import type { RequestInput } from '../../shared/contract'
import { api, unwrap } from '../api'
import { errorMessage } from './errors'

/** The list's filters: the contract's query without paging. */
export type CallFilters = Omit<RequestInput<'calls.list'>, 'cursor' | 'limit'>

interface CallsState {
  items: CallListItem[]
  nextCursor: string | null
  loading: boolean
  error: string | null
  filters: CallFilters
  selectedSid: string | null
  load(filters?: CallFilters): Promise<void>
  loadMore(): Promise<void>
  select(callSid: string | null): void
  /** Applies a change main reported for one recording's row, without reloading the list. */
  patchRecording(recordingSid: string, patch: Partial<CallListItem>): void
}

const PAGE = 100

export const useCalls = create<CallsState>((set, get) => ({
  items: [],
  nextCursor: null,
  loading: false,
  error: null,
  filters: {},
  selectedSid: null,
  async load(filters = get().filters) {
    set({ loading: true, error: null, filters })
    try {
      const page = unwrap(await api().call['calls.list']({ ...filters, limit: PAGE }))
      set({ items: page.items, nextCursor: page.nextCursor, loading: false })
    } catch (error) {
      set({ loading: false, error: errorMessage(error) })
    }
  },
  async loadMore() {
    const { nextCursor, loading, filters } = get()
    if (!nextCursor || loading) return
    set({ loading: true })
    try {
      const page = unwrap(await api().call['calls.list']({ ...filters, limit: PAGE, cursor: nextCursor }))
      set((state) => ({
        items: [...state.items, ...page.items],
        nextCursor: page.nextCursor,
        loading: false,
      }))
    } catch (error) {
      set({ loading: false, error: errorMessage(error) })
    }
  },
  select(callSid) {
    set({ selectedSid: callSid })
  },
  patchRecording(recordingSid, patch) {
    set((state) => ({
      items: state.items.map((item) => (item.recordingSid === recordingSid ? { ...item, ...patch } : item)),
    }))
  },
}))

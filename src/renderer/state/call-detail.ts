import { create } from 'zustand'
import type { RequestInput } from '../../shared/contract'
import type { CallDetail, RecordingAvailability } from '../../shared/types'
import { api, unwrap } from '../api'
import { errorMessage } from './errors'

/** A fallback poll backs up the event stream while a recording prepares; it is bounded and honours retryAfterSec. */
export const MAX_FALLBACK_POLLS = 20

interface DetailState {
  callSid: string | null
  detail: CallDetail | null
  /** When the user last pressed Retry on this call's failed recording (shown, so a retry that fails again is seen). */
  retriedAt: number | null
  loading: boolean
  error: string | null
  open(callSid: string): Promise<void>
  /** Reloads the open call (its transcript or summary arrived). */
  refresh(): Promise<void>
  close(): void
  /** The player asks main to get the recording ready (download first if needed). */
  prepare(): Promise<void>
  resummarize(): Promise<void>
  /** Changes what people decided about the open call (follow-up, assignee, note). */
  review(change: Omit<RequestInput<'calls.review'>, 'callSid'>): Promise<void>
  applyAvailability(recordingSid: string, availability: RecordingAvailability): void
}

let pollTimer: ReturnType<typeof setTimeout> | undefined
let pollsLeft = MAX_FALLBACK_POLLS
/**
 * Counts the review changes made here: a reload that started before the latest one answers with what was
 * there before it, so it is dropped (the change's own answer carries the whole call).
 */
let reviewsMade = 0

function schedulePoll(availability: RecordingAvailability | undefined, refresh: () => void): void {
  clearTimeout(pollTimer)
  if (availability?.state !== 'preparing' || pollsLeft <= 0) return
  pollsLeft -= 1
  pollTimer = setTimeout(refresh, availability.retryAfterSec * 1000)
}

export const useCallDetail = create<DetailState>((set, get) => {
  const refresh = async (): Promise<void> => {
    const { callSid } = get()
    if (!callSid) return
    const reviewsBefore = reviewsMade
    try {
      const detail = unwrap(await api().call['calls.get']({ callSid }))
      if (get().callSid !== callSid || reviewsMade !== reviewsBefore) return
      set({ detail, loading: false, error: null })
      schedulePoll(detail.recording?.availability, () => void refresh())
    } catch (error) {
      if (get().callSid === callSid) set({ loading: false, error: errorMessage(error) })
    }
  }

  return {
    callSid: null,
    detail: null,
    retriedAt: null,
    loading: false,
    error: null,
    async open(callSid) {
      clearTimeout(pollTimer)
      pollsLeft = MAX_FALLBACK_POLLS
      set({ callSid, detail: null, retriedAt: null, loading: true, error: null })
      await refresh()
    },
    refresh,
    close() {
      clearTimeout(pollTimer)
      set({ callSid: null, detail: null, loading: false, error: null })
    },
    async prepare() {
      const recording = get().detail?.recording
      if (!recording) return
      const retrying = recording.availability.state === 'failed'
      try {
        const availability = unwrap(
          await api().call['recordings.prepare']({ recordingSid: recording.recordingSid }),
        )
        // Noted once main has taken the retry, so "tried again" only ever follows a real new attempt.
        if (retrying) set({ retriedAt: Date.now() })
        get().applyAvailability(recording.recordingSid, availability)
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    async resummarize() {
      const callSid = get().callSid
      if (!callSid) return
      try {
        unwrap(await api().call['calls.resummarize']({ callSid }))
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    async review(change) {
      const { callSid, detail: before } = get()
      if (!callSid || !before) return
      // Shown at once (a checkbox that waits for the server feels broken); the answer, or the old value
      // when refused, replaces it.
      const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined))
      set({ detail: { ...before, review: { ...before.review, ...defined } } })
      const made = ++reviewsMade
      try {
        const detail = unwrap(await api().call['calls.review']({ callSid, ...change }))
        // Answers to earlier changes are older than the latest one's: only the latest is shown.
        if (get().callSid === callSid && made === reviewsMade) set({ detail, error: null })
      } catch (error) {
        if (get().callSid === callSid) set({ detail: before, error: errorMessage(error) })
      }
    },
    applyAvailability(recordingSid, availability) {
      const detail = get().detail
      if (!detail?.recording || detail.recording.recordingSid !== recordingSid) return
      set({ detail: { ...detail, recording: { ...detail.recording, availability } } })
      schedulePoll(availability, () => void refresh())
    },
  }
})

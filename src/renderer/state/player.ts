import { create } from 'zustand'

/**
 * The one audio element of the open call, shared so the transcript and citation chips can seek it and
 * highlight what is being said.
 */
interface PlayerState {
  element: HTMLAudioElement | null
  currentMs: number
  /**
   * A seek asked for before the audio was ready: applied when this call's audio element arrives (callSid
   * null: the open call's, whichever arrives next).
   */
  pendingSeek: { callSid: string | null; ms: number } | null
  /** The open call's audio element arrived (or left: null). */
  attach(element: HTMLAudioElement | null, callSid: string): void
  /**
   * Opens `callSid` at `ms` (a search hit). If another call is open, its audio must not take the seek:
   * it waits for this call's audio, however long that takes to be ready.
   */
  seekInCall(callSid: string, ms: number, openCallSid: string | null): void
  tick(ms: number): void
  seek(ms: number): void
  jump(deltaMs: number): void
  togglePlay(): void
  /** Seeks and plays (a transcript line's or a citation's moment). */
  playFrom(ms: number): void
  setRate(rate: number): void
}

export const usePlayer = create<PlayerState>((set, get) => ({
  element: null,
  currentMs: 0,
  pendingSeek: null,
  attach(element, callSid) {
    set({ element, currentMs: 0 })
    const pending = get().pendingSeek
    if (!element || !pending) return
    if (pending.callSid === null || pending.callSid === callSid) {
      element.currentTime = pending.ms / 1000
      set({ currentMs: pending.ms })
    }
    set({ pendingSeek: null })
  },
  seekInCall(callSid, ms, openCallSid) {
    if (callSid === openCallSid && get().element) return get().seek(ms)
    set({ pendingSeek: { callSid, ms } })
  },
  tick(ms) {
    set({ currentMs: ms })
  },
  seek(ms) {
    const element = get().element
    if (!element) return set({ pendingSeek: { callSid: null, ms } })
    element.currentTime = ms / 1000
    set({ currentMs: ms })
  },
  jump(deltaMs) {
    const element = get().element
    if (!element) return
    const duration = Number.isFinite(element.duration) ? element.duration * 1000 : Infinity
    get().seek(Math.min(duration, Math.max(0, element.currentTime * 1000 + deltaMs)))
  },
  setRate(rate) {
    const element = get().element
    if (element) element.playbackRate = rate
  },
  playFrom(ms) {
    get().seek(ms)
    const element = get().element
    if (element?.paused) void element.play().catch(() => undefined)
  },
  togglePlay() {
    const element = get().element
    if (!element) return
    if (element.paused) void element.play()
    else element.pause()
  },
}))

import { create } from 'zustand'

/**
 * The one audio element of the open call, shared so the transcript and citation chips can seek it and
 * highlight what is being said.
 */
interface PlayerState {
  element: HTMLAudioElement | null
  currentMs: number
  /** A seek asked for before the audio was ready; applied when it is. */
  pendingSeekMs: number | null
  attach(element: HTMLAudioElement | null): void
  tick(ms: number): void
  seek(ms: number): void
  jump(deltaMs: number): void
  togglePlay(): void
  setRate(rate: number): void
}

export const usePlayer = create<PlayerState>((set, get) => ({
  element: null,
  currentMs: 0,
  pendingSeekMs: null,
  attach(element) {
    set({ element, currentMs: 0 })
    const pending = get().pendingSeekMs
    if (element && pending !== null) {
      element.currentTime = pending / 1000
      set({ pendingSeekMs: null, currentMs: pending })
    }
  },
  tick(ms) {
    set({ currentMs: ms })
  },
  seek(ms) {
    const element = get().element
    if (!element) return set({ pendingSeekMs: ms })
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
  togglePlay() {
    const element = get().element
    if (!element) return
    if (element.paused) void element.play()
    else element.pause()
  },
}))

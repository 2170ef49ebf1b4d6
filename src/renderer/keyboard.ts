import { useEffect } from 'react'
import { useCalls } from './state/calls'
import { usePlayer } from './state/player'

/** Space play/pause, ←/→ jump 5 s (with Shift 10 s), J/K next/previous call, / to search. */
export function useKeyboardShortcuts(searchBox: () => HTMLInputElement | null): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]')
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return
      const player = usePlayer.getState()
      const calls = useCalls.getState()
      const rtl = document.documentElement.dir === 'rtl'
      const step = event.shiftKey ? 10_000 : 5_000
      switch (event.key) {
        case ' ':
          if (target?.closest('button')) return // a focused button handles its own space
          event.preventDefault()
          player.togglePlay()
          break
        case 'ArrowLeft':
        case 'ArrowRight': {
          event.preventDefault()
          // In a right-to-left layout the left arrow points forward, as it does on the page.
          const forward = (event.key === 'ArrowRight') !== rtl
          player.jump(forward ? step : -step)
          break
        }
        case 'j':
        case 'k': {
          const index = calls.items.findIndex((item) => item.callSid === calls.selectedSid)
          const next =
            calls.items[Math.min(calls.items.length - 1, Math.max(0, index + (event.key === 'j' ? 1 : -1)))]
          if (next) calls.select(next.callSid)
          break
        }
        case '/':
          event.preventDefault()
          searchBox()?.focus()
          break
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [searchBox])
}

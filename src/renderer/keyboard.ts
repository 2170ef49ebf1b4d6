import { useEffect } from 'react'
import { useCalls } from './state/calls'
import { usePlayer } from './state/player'

/**
 * Space play/pause, ←/→ jump 5 s (with Shift 10 s), J/K next/previous call, / to search. Letters are
 * read by physical key (`event.code`), so J, K and / work with a Hebrew keyboard layout too.
 */
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
      // A call row keeps focus after a click or J/K; Space there plays (it would only re-open the call).
      const onRow = Boolean(target?.closest('button.row'))
      const key =
        event.code === 'KeyJ' ? 'j' : event.code === 'KeyK' ? 'k' : event.code === 'Slash' ? '/' : event.key
      switch (key) {
        case ' ':
          if (target?.closest('button') && !onRow) return // other buttons handle their own space
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
            calls.items[Math.min(calls.items.length - 1, Math.max(0, index + (key === 'j' ? 1 : -1)))]
          if (!next) break
          calls.select(next.callSid)
          // Focus follows the selection, so Space plays this call, not the one clicked before (unless the
          // user has moved focus elsewhere since, e.g. "/" to the search box).
          requestAnimationFrame(() => {
            const focused = document.activeElement
            if (focused && focused !== document.body && !focused.closest('button.row')) return
            document.querySelector<HTMLButtonElement>('button.row[aria-current="true"]')?.focus()
          })
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

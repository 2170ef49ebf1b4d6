export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–'
  const m = Math.floor(seconds / 60)
  const s = Math.round(seconds % 60)
  return `${m}:${String(s).padStart(2, '0')}`
}

export function formatClock(ms: number): string {
  return formatDuration(Math.floor(ms / 1000))
}

/** The app's language for Intl (set on <html> by the locale slice), not the browser's. */
const appLocale = (): string | undefined => (document.documentElement.lang === 'he' ? 'he-IL' : undefined)

/** Compact: the year only when it is not this year. */
export function formatDateTime(epochMs: number): string {
  const date = new Date(epochMs)
  const sameYear = date.getFullYear() === new Date().getFullYear()
  return date.toLocaleString(appLocale(), {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: 'numeric',
    minute: '2-digit',
  })
}

/** A time of day in the app's language (e.g. when a retry happened). */
export function formatTimeOfDay(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(appLocale(), {
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  })
}

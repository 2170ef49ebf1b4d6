export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–'
  const m = Math.floor(seconds / 60)
  const s = Math.round(seconds % 60)
  return `${m}:${String(s).padStart(2, '0')}`
}

export function formatClock(ms: number): string {
  return formatDuration(Math.floor(ms / 1000))
}

export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

import { useShallow } from 'zustand/react/shallow'
import { useEffect, useState } from 'react'
import type { SyncStatus } from '../../../shared/types'
import { useNoticeText, useT, type Translate } from '../../state/locale'
import { useSync } from '../../state/sync'
import './sync.css'

function ago(t: Translate, at: number, now: number): string {
  const minutes = Math.floor((now - at) / 60_000)
  if (minutes < 1) return t('time.justNow')
  return minutes < 60
    ? t('time.minutesAgo', { n: minutes })
    : t('time.hoursAgo', { n: Math.floor(minutes / 60) })
}

function until(t: Translate, at: number | null, now: number): string {
  const seconds = Math.max(0, Math.round(((at ?? now) - now) / 1000))
  return seconds < 120
    ? t('time.inSeconds', { n: seconds })
    : t('time.inMinutes', { n: Math.round(seconds / 60) })
}

export function describeSync(t: Translate, status: SyncStatus, now: number): string {
  switch (status.state) {
    case 'idle':
      return status.lastSyncAt ? t('sync.idle', { ago: ago(t, status.lastSyncAt, now) }) : t('sync.idleNever')
    case 'syncing':
      return t('sync.syncing', { count: status.progress?.recordings ?? 0 })
    case 'backing-off':
    case 'offline':
      return t(`sync.${status.state}`, { when: until(t, status.nextSyncAt, now) })
    default:
      return t(`sync.${status.state}`)
  }
}

/** Where syncing stands, refreshed by main's events; a clock tick only re-renders the relative times. */
export function SyncStatusBar() {
  const t = useT()
  const say = useNoticeText()
  const { status, syncNow } = useSync(
    useShallow((state) => ({ status: state.status, syncNow: state.syncNow })),
  )
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(timer)
  }, [])
  if (!status) return null
  const problem =
    status.state === 'credentials-rejected' || status.state === 'offline' || status.state === 'backing-off'
  return (
    <div className={`sync-status ${problem ? 'problem' : ''}`} role="status" aria-live="polite">
      <span title={status.lastError ? say(status.lastError) : undefined}>{describeSync(t, status, now)}</span>
      {status.state !== 'syncing' && status.state !== 'not-configured' && (
        <button type="button" onClick={() => void syncNow()}>
          {t('sync.now')}
        </button>
      )}
    </div>
  )
}

import { useShallow } from 'zustand/react/shallow'
import { useEffect, useState } from 'react'
import type { JobListItem } from '../../../shared/types'
import { useNoticeText, useT, type Translate } from '../../state/locale'
import { useJobs } from '../../state/jobs'
import { useSync } from '../../state/sync'
import { PartyName } from '../../components/PartyName'
import { formatDateTime } from '../../format'
import { SyncStatusBar } from '../sync/SyncStatusBar'
import './activity.css'

interface JobGroup {
  key: string
  call: JobListItem['call']
  jobs: JobListItem[]
}

/** Jobs by the call they work on (model downloads on their own), the most recently active call first. */
function groupByCall(jobs: JobListItem[]): JobGroup[] {
  const groups = new Map<string, JobGroup>()
  const newestFirst = [...jobs].sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id)
  for (const job of newestFirst) {
    const key = job.call?.callSid ?? `${job.kind}:${job.subject}`
    const group = groups.get(key) ?? { key, call: job.call, jobs: [] }
    group.jobs.push(job)
    groups.set(key, group)
  }
  return [...groups.values()]
}

const STEP_BEFORE = {
  'recording-transcription': 'recording-download',
  'recording-summary': 'recording-transcription',
} as const

/** Why a job waits: for the step before it, or — when that step failed — for someone to retry it. */
function blockedReason(job: JobListItem, group: JobListItem[]) {
  const before = STEP_BEFORE[job.kind as keyof typeof STEP_BEFORE]
  if (!before) return 'activity.waits' as const
  const failed = group.some((other) => other.kind === before && other.state === 'failed')
  return failed ? (`activity.blockedBy.${before}` as const) : (`activity.waitsFor.${before}` as const)
}

function CallHeading({ group, t }: { group: JobGroup; t: Translate }) {
  const { call } = group
  if (!call) return <h3>{t(`job.${group.jobs[0]!.kind}`)}</h3>
  return (
    <h3>
      <PartyName value={call.direction === 'inbound' ? call.from : call.to} />
      <span className="when">
        {t(call.direction === 'inbound' ? 'calls.inbound' : 'calls.outbound')} ·{' '}
        {formatDateTime(call.startedAt)}
      </span>
    </h3>
  )
}

export function ActivityPanel() {
  const t = useT()
  const say = useNoticeText()
  const { jobs, error, load, retry, cancel } = useJobs(
    useShallow((state) => ({
      jobs: state.jobs,
      error: state.error,
      load: state.load,
      retry: state.retry,
      cancel: state.cancel,
    })),
  )
  const skipped = useSync((state) => state.status?.skipped ?? [])
  const [onlyFailed, setOnlyFailed] = useState(false)
  useEffect(() => {
    void load()
  }, [load])

  const shown = jobs.filter((job) => (onlyFailed ? job.state === 'failed' : job.state !== 'done'))
  const groups = groupByCall(shown)
  return (
    <main className="activity" aria-label={t('activity.title')}>
      <h2>{t('activity.title')}</h2>
      <SyncStatusBar />
      {error && <p role="alert">{error}</p>}
      {skipped.length > 0 && (
        <section aria-labelledby="activity-skipped" className="skipped">
          <h3 id="activity-skipped">{t('activity.skipped', { count: skipped.length })}</h3>
          <ul>
            {skipped.map((item) => (
              <li key={item.sid}>
                <bdi dir="ltr">{item.sid}</bdi> — <span className="reason">{say(item.reason)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <label className="filter">
        <input type="checkbox" checked={onlyFailed} onChange={(e) => setOnlyFailed(e.target.checked)} />
        {t('activity.onlyFailed')}
      </label>
      {groups.length === 0 && (
        <p className="empty">{t(onlyFailed ? 'activity.noFailures' : 'activity.nothing')}</p>
      )}
      <ul className="job-groups">
        {groups.map((group) => (
          <li key={group.key} className="job-group">
            <CallHeading group={group} t={t} />
            <ul>
              {group.jobs.map((job) => (
                <li key={job.id} className={`job job-${job.state}`}>
                  <span className="kind">{t(`job.${job.kind}`)}</span>
                  <span className="state">{t(`job.state.${job.state}`)}</span>
                  {job.state === 'running' && job.progress !== null && (
                    <progress value={job.progress} max={1} aria-label={t(`job.${job.kind}`)} />
                  )}
                  {job.lastError && <span className="reason">{say(job.lastError)}</span>}
                  {job.state === 'blocked' && (
                    <span className="reason">{t(blockedReason(job, group.jobs))}</span>
                  )}
                  {(job.state === 'failed' || job.state === 'cancelled') && (
                    <button type="button" onClick={() => void retry(job.id)}>
                      {t('activity.retry')}
                    </button>
                  )}
                  {(job.state === 'queued' || job.state === 'running' || job.state === 'blocked') && (
                    <button type="button" onClick={() => void cancel(job.id)}>
                      {t('activity.cancel')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </main>
  )
}

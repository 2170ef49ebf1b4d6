import { useShallow } from 'zustand/react/shallow'
import { useT } from '../../state/locale'
import { useEffect } from 'react'
import { useJobs } from '../../state/jobs'
import { useSync } from '../../state/sync'
import { SyncStatusBar } from '../sync/SyncStatusBar'
import './activity.css'

export function ActivityPanel() {
  const t = useT()
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
  useEffect(() => {
    void load()
  }, [load])

  const active = jobs.filter((job) => job.state !== 'done')
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
                <bdi dir="ltr">{item.sid}</bdi> — <span className="reason">{item.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {active.length === 0 && <p className="empty">{t('activity.nothing')}</p>}
      <ul>
        {active.map((job) => (
          <li key={job.id} className={`job job-${job.state}`}>
            <span className="kind">{t(`job.${job.kind}`)}</span>
            <span className="subject">{job.subject}</span>
            <span className="state">{t(`job.state.${job.state}`)}</span>
            {job.state === 'running' && job.progress !== null && <progress value={job.progress} max={1} />}
            {job.lastError && <span className="reason">{job.lastError}</span>}
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
    </main>
  )
}

import { useEffect } from 'react'
import { useJobs } from '../../state/jobs'

const KIND_LABELS = { download: 'Download', transcribe: 'Transcription', summarize: 'Summary' } as const

export function ActivityPanel() {
  const { jobs, error, load, retry, cancel } = useJobs()
  useEffect(() => {
    void load()
  }, [load])

  const active = jobs.filter((job) => job.state !== 'done')
  return (
    <section className="activity" aria-label="Activity">
      <h2>Activity</h2>
      {error && <p role="alert">{error}</p>}
      {active.length === 0 && <p className="empty">Nothing waiting.</p>}
      <ul>
        {active.map((job) => (
          <li key={job.id} className={`job job-${job.state}`}>
            <span className="kind">{KIND_LABELS[job.kind]}</span>
            <span className="subject">{job.subject}</span>
            <span className="state">{job.state}</span>
            {job.state === 'running' && job.progress !== null && <progress value={job.progress} max={1} />}
            {job.lastError && <span className="reason">{job.lastError}</span>}
            {(job.state === 'failed' || job.state === 'cancelled') && (
              <button type="button" onClick={() => void retry(job.id)}>
                Retry
              </button>
            )}
            {(job.state === 'queued' || job.state === 'running' || job.state === 'blocked') && (
              <button type="button" onClick={() => void cancel(job.id)}>
                Cancel
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

import { useState } from 'react'
import type { JobListItem } from '../../../shared/types'
import { api } from '../../api'
import { formatTimeOfDay } from '../../format'
import { useJobs } from '../../state/jobs'
import { useNoticeText, useT } from '../../state/locale'
import { useModels } from '../../state/models'

/** The newest download of a model that is not finished: running, waiting to try again, or failed. */
function latestModelDownload(jobs: JobListItem[]): JobListItem | undefined {
  return jobs
    .filter((job) => job.kind === 'model-download' && job.state !== 'done' && job.state !== 'cancelled')
    .sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id)[0]
}

/**
 * Where the model comes from, for a user who has none yet: the suggested download with its progress and,
 * when it cannot get through (offline, a proxy), why and when it tries again, or that it gave up, with a
 * retry. (ModelImport, below, takes a file the user already has.)
 */
export function ModelSource({ modelId, offer }: { modelId: string; offer: string }) {
  const t = useT()
  const say = useNoticeText()
  const download = useModels((state) => state.download)
  const job = useJobs((state) => latestModelDownload(state.jobs))
  const { retry, cancel } = useJobs.getState()
  let status
  if (!job) {
    status = (
      <p>
        {offer}{' '}
        <button type="button" className="primary" onClick={() => void download(modelId)}>
          {t('models.bannerAction')}
        </button>
      </p>
    )
  } else if (job.state === 'failed') {
    status = (
      <p role="alert" className="error">
        {t('models.downloadFailed', { reason: job.lastError ? say(job.lastError) : '' })}{' '}
        <button type="button" onClick={() => void retry(job.id)}>
          {t('models.tryAgain')}
        </button>
      </p>
    )
  } else if (job.lastError) {
    status = (
      <p role="status">
        {t('models.downloadRetrying', { reason: say(job.lastError), time: formatTimeOfDay(job.runAfter) })}{' '}
        <button type="button" onClick={() => void cancel(job.id)}>
          {t('activity.cancel')}
        </button>
      </p>
    )
  } else {
    status = (
      <p role="status">
        {t('models.downloading', { percent: Math.round((job.progress ?? 0) * 100) })}{' '}
        <progress value={job.progress ?? 0} max={1} aria-label={t('setup.model')} />
      </p>
    )
  }
  return status
}

/**
 * Imports a model file the user already has (an offline PC): picked with the system's file dialog where
 * the app can learn the file's path (the desktop app), else typed as a path (a browser never tells).
 */
export function ModelImport() {
  const t = useT()
  const importFile = useModels((state) => state.importFile)
  const error = useModels((state) => state.error)
  const [path, setPath] = useState('')
  const pathForFile = api().pathForFile
  return (
    <div className="model-import">
      <h4>{t('models.import')}</h4>
      {pathForFile ? (
        <input
          type="file"
          accept=".bin"
          aria-label={t('models.import')}
          onChange={(e) => {
            const file = e.target.files?.[0]
            const picked = file ? pathForFile(file) : null
            if (picked) void importFile(picked)
          }}
        />
      ) : (
        <form
          className="inline-form"
          onSubmit={(e) => (e.preventDefault(), path.trim() && void importFile(path.trim()))}
        >
          <input
            type="text"
            dir="ltr"
            aria-label={t('models.importPath')}
            placeholder={t('models.importPathExample')}
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit">{t('models.importButton')}</button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  )
}

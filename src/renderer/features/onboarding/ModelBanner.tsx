import { useShallow } from 'zustand/react/shallow'
import { useEffect } from 'react'
import { useJobs } from '../../state/jobs'
import { useT } from '../../state/locale'
import { useModels } from '../../state/models'

/** Until a Whisper model is installed, says so and offers the one that suits this computer. */
export function ModelBanner({ onChoose }: { onChoose: () => void }) {
  const t = useT()
  const { view, load, download } = useModels(
    useShallow((state) => ({ view: state.view, load: state.load, download: state.download })),
  )
  const downloading = useJobs((state) =>
    state.jobs.find(
      (job) => job.kind === 'model-download' && (job.state === 'running' || job.state === 'queued'),
    ),
  )
  useEffect(() => {
    if (!useModels.getState().view) void load()
  }, [load])
  if (!view || view.activeModelId) return null
  const suggested = view.models.find((model) => model.id === view.suggestedModelId)
  if (!suggested) return null
  return (
    <div className="banner" role="status">
      {downloading ? (
        <span>
          {t('models.downloading', { percent: Math.round((downloading.progress ?? 0) * 100) })}{' '}
          <progress value={downloading.progress ?? 0} max={1} />
        </span>
      ) : (
        <>
          <span>{t('models.banner', { model: suggested.name, size: suggested.sizeMb })}</span>
          <button type="button" className="primary" onClick={() => void download(suggested.id)}>
            {t('models.bannerAction')}
          </button>
          <button type="button" onClick={onChoose}>
            {t('models.bannerSettings')}
          </button>
        </>
      )}
    </div>
  )
}

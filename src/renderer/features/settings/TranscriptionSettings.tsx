import { useShallow } from 'zustand/react/shallow'
import { useEffect } from 'react'
import { ModelImport } from '../onboarding/ModelSource'
import { useJobs } from '../../state/jobs'
import { useNoticeText, useT } from '../../state/locale'
import { useModels } from '../../state/models'
import { CommittedField } from '../../components/CommittedField'

/** Language, speed and the Whisper model manager: download (with progress), import, choose, remove. */
export function TranscriptionSettings() {
  const t = useT()
  const say = useNoticeText()
  const { view, load, download, remove, updateSettings } = useModels(
    useShallow((state) => ({
      view: state.view,
      load: state.load,
      download: state.download,
      remove: state.remove,
      updateSettings: state.updateSettings,
    })),
  )
  const jobs = useJobs((state) => state.jobs)
  useEffect(() => {
    void load()
  }, [load])
  if (!view) return null
  const { settings } = view
  const downloading = (id: string) =>
    jobs.find(
      (job) =>
        job.kind === 'model-download' &&
        job.subject === id &&
        (job.state === 'running' || job.state === 'queued'),
    )

  return (
    <section aria-labelledby="settings-transcription" className="card">
      <h3 id="settings-transcription">{t('settings.transcription')}</h3>
      <label>
        {t('settings.callLanguage')}
        <select
          value={settings.language}
          onChange={(e) => void updateSettings({ language: e.target.value as typeof settings.language })}
        >
          <option value="auto">{t('settings.callLanguageAuto')}</option>
          <option value="en">{t('language.en')}</option>
          <option value="he">{t('language.he')}</option>
        </select>
      </label>
      <label>
        {t('settings.quality')}
        <select
          value={settings.quality}
          onChange={(e) => void updateSettings({ quality: e.target.value as typeof settings.quality })}
        >
          <option value="fast">{t('settings.quality.fast')}</option>
          <option value="balanced">{t('settings.quality.balanced')}</option>
          <option value="accurate">{t('settings.quality.accurate')}</option>
        </select>
      </label>
      <p className="hint">{t(`settings.quality.${settings.quality}.cost`)}</p>
      <CommittedField
        label={t('settings.threads')}
        kind="integer"
        min={1}
        max={view.machine.cores}
        value={settings.threads}
        onCommit={(threads: number) => updateSettings({ threads })}
      />
      <CommittedField
        label={t('settings.staffName')}
        kind="text"
        maxLength={80}
        value={settings.staffName}
        onCommit={(staffName: string) => updateSettings({ staffName })}
      />

      <h4>{t('models.title')}</h4>
      <p className="hint">
        {t('models.machine', { memory: view.machine.memoryGb, cores: view.machine.cores })}{' '}
        {view.engine &&
          (view.engine.gpu
            ? t('models.runsOnGpu', { gpu: view.engine.gpu })
            : t('models.runsOnCpu', { features: view.engine.cpuFeatures || '—' }))}
      </p>
      {!view.activeModelId && <p role="status">{t('models.none')}</p>}
      <ul className="models" aria-label={t('models.title')}>
        {view.models.map((model) => {
          const job = downloading(model.id)
          return (
            <li key={model.id} className={model.id === view.activeModelId ? 'active' : undefined}>
              <span className="name">
                <bdi>{model.name}</bdi>
                {model.id === view.suggestedModelId && (
                  <span className="chip chip-ready">{t('models.suggested')}</span>
                )}
                {model.id === view.activeModelId && (
                  <span className="chip chip-info">{t('models.active')}</span>
                )}
              </span>
              <span className="meta">
                {model.sizeMb > 0 && t('models.size', { size: model.sizeMb })}
                {model.realtimeFactor > 0 && ` · ${t('models.speed', { factor: model.realtimeFactor })}`}
                {!model.multilingual && ` · ${t('models.englishOnly')}`}
                {model.verification && ` · ${t(`models.verified.${model.verification}`)}`}
              </span>
              {model.note && <span className="hint">{say(model.note)}</span>}
              {job ? (
                <span>
                  {t('models.downloading', { percent: Math.round((job.progress ?? 0) * 100) })}{' '}
                  <progress value={job.progress ?? 0} max={1} />
                </span>
              ) : model.installed ? (
                <span className="actions">
                  {model.id !== view.activeModelId && (
                    <button type="button" onClick={() => void updateSettings({ modelId: model.id })}>
                      {t('models.use')}
                    </button>
                  )}
                  <button type="button" onClick={() => void remove(model.id)}>
                    {t('models.remove')}
                  </button>
                </span>
              ) : (
                <button type="button" onClick={() => void download(model.id)}>
                  {t('models.download')}
                </button>
              )}
            </li>
          )
        })}
      </ul>
      <ModelImport />
    </section>
  )
}

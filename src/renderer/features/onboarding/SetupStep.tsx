import { useShallow } from 'zustand/react/shallow'
import { useEffect } from 'react'
import { ModelImport, ModelSource } from './ModelSource'
import { usePreferences, useT } from '../../state/locale'
import { useModels } from '../../state/models'
import './onboarding.css'

/** The second first-run step: the calls' language, a Whisper model (download with progress), summaries. */
export function SetupStep() {
  const t = useT()
  const { view, load, updateSettings } = useModels(
    useShallow((state) => ({ view: state.view, load: state.load, updateSettings: state.updateSettings })),
  )
  useEffect(() => {
    void load()
  }, [load])
  if (!view) return null
  const suggested = view.models.find((model) => model.id === view.suggestedModelId)
  const active = view.models.find((model) => model.id === view.activeModelId)
  const finish = () => void usePreferences.getState().finishOnboarding()
  return (
    <main className="first-run" aria-labelledby="setup-title">
      <h2 id="setup-title">{t('setup.title')}</h2>
      <p>{t('setup.intro')}</p>
      <section className="card">
        <label>
          {t('setup.language')}
          <select
            value={view.settings.language}
            onChange={(e) =>
              void updateSettings({ language: e.target.value as typeof view.settings.language })
            }
          >
            <option value="auto">{t('settings.callLanguageAuto')}</option>
            <option value="en">{t('language.en')}</option>
            <option value="he">{t('language.he')}</option>
          </select>
        </label>
        <h3>{t('setup.model')}</h3>
        {active ? (
          <p role="status">{t('setup.modelReady', { model: active.name })}</p>
        ) : (
          suggested && (
            <>
              <ModelSource
                modelId={suggested.id}
                offer={t('models.banner', { model: suggested.name, size: suggested.sizeMb })}
              />
              <ModelImport />
            </>
          )
        )}
        <p className="hint">{t('setup.summaries')}</p>
        <button type="button" className="primary" onClick={finish}>
          {t('setup.continue')}
        </button>
      </section>
    </main>
  )
}

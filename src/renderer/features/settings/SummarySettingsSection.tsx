import { useShallow } from 'zustand/react/shallow'
import { useEffect, useState } from 'react'
import type { SummarySettings, SummarySettingsView } from '../../../shared/types'
import { useNoticeText, useT } from '../../state/locale'
import { ConsentPrompt } from '../../components/ConsentPrompt'
import { whatIsSent } from '../../../shared/summary-destination'
import { useSummarySettings } from '../../state/summaries'

/** Who makes the summaries, and in plain words what leaves the computer for each choice. */
export function SummarySettingsSection() {
  const { view, load } = useSummarySettings(useShallow((state) => ({ view: state.view, load: state.load })))
  useEffect(() => {
    void load()
  }, [load])
  // Keyed by the saved settings, so the form starts from them again after every save.
  return view ? <SummaryForm key={JSON.stringify(view)} view={view} /> : null
}

function SummaryForm({ view }: { view: SummarySettingsView }) {
  const t = useT()
  const say = useNoticeText()
  const { error, save } = useSummarySettings(
    useShallow((state) => ({ error: state.error, save: state.save })),
  )
  const [draft, setDraft] = useState<SummarySettings>({
    provider: view.provider,
    model: view.model,
    baseUrl: view.baseUrl,
    contextTokens: view.contextTokens,
  })
  const [apiKey, setApiKey] = useState('')
  const [needsConsent, setNeedsConsent] = useState(false)

  const submit = async (allowUnprotected = false) => {
    const outcome = await save({ ...draft, ...(apiKey ? { apiKey } : {}), allowUnprotected })
    setNeedsConsent(outcome === 'needs-consent')
    if (outcome === 'saved') setApiKey('')
  }

  return (
    <section aria-labelledby="settings-summaries" className="card">
      <h3 id="settings-summaries">{t('summaries.title')}</h3>
      <form onSubmit={(e) => (e.preventDefault(), void submit())}>
        <fieldset>
          <legend>{t('summaries.provider')}</legend>
          {(['extractive', 'openai', 'compatible'] as const).map((provider) => (
            <label key={provider} className="inline">
              <input
                type="radio"
                name="summary-provider"
                checked={draft.provider === provider}
                onChange={() => setDraft({ ...draft, provider })}
              />
              {t(`summaries.provider.${provider}`)}
            </label>
          ))}
        </fieldset>
        {draft.provider !== 'extractive' && (
          <>
            <label>
              {t('summaries.model')}
              <input
                type="text"
                dir="ltr"
                value={draft.model}
                onChange={(e) => setDraft({ ...draft, model: e.target.value })}
              />
            </label>
            {draft.provider === 'compatible' && (
              <label>
                {t('summaries.baseUrl')}
                <input
                  type="url"
                  dir="ltr"
                  value={draft.baseUrl}
                  onChange={(e) => setDraft({ ...draft, baseUrl: e.target.value })}
                />
              </label>
            )}
            <label>
              {t('summaries.apiKey')}
              <input
                type="password"
                dir="ltr"
                autoComplete="off"
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
              />
            </label>
            {view.hasApiKey && (
              <p className="hint">
                {t('summaries.apiKeySaved')}{' '}
                <button type="button" onClick={() => void save({ apiKey: null })}>
                  {t('summaries.removeKey')}
                </button>
              </p>
            )}
          </>
        )}
        <button type="submit" className="primary">
          {t('summaries.save')}
        </button>
      </form>
      {needsConsent && <ConsentPrompt onAgree={() => void submit(true)} />}
      <h4>{t('summaries.sends')}</h4>
      <p role="note">{say(whatIsSent(draft))}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  )
}

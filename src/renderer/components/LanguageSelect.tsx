import { useT, usePreferences, type Locale } from '../state/locale'

/** The interface language: the system's (or browser's), English or Hebrew, each by its own name. */
export function LanguageSelect() {
  const t = useT()
  const choice = usePreferences((state) => state.choice)
  const choose = usePreferences((state) => state.choose)
  return (
    <select
      aria-label={t('settings.language')}
      value={choice ?? ''}
      onChange={(e) => void choose((e.target.value || null) as Locale | null)}
    >
      <option value="">{t('settings.languageAuto')}</option>
      <option value="en" lang="en">
        English
      </option>
      <option value="he" lang="he">
        עברית
      </option>
    </select>
  )
}

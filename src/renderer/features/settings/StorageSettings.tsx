import { useEffect, useState } from 'react'
import type { AppSettingsView } from '../../../shared/types'
import { api, unwrap } from '../../api'
import { useT } from '../../state/locale'

/** Where the library lives, and how long downloaded audio is kept (text is kept either way). */
export function StorageSettings() {
  const t = useT()
  const [settings, setSettings] = useState<AppSettingsView | null>(null)
  useEffect(() => {
    void api()
      .call['app.getSettings']()
      .then((envelope) => setSettings(unwrap(envelope)))
  }, [])
  if (!settings) return null
  const change = async (value: string) => {
    setSettings(
      unwrap(await api().call['app.updateSettings']({ deleteAudioAfterDays: value ? Number(value) : null })),
    )
  }
  return (
    <section aria-labelledby="settings-storage" className="card">
      <h3 id="settings-storage">{t('settings.storage')}</h3>
      <p className="hint" dir="auto">
        {t('settings.dataDir', { dir: settings.dataDir })}
      </p>
      <label>
        {t('settings.retention')}
        <select value={settings.deleteAudioAfterDays ?? ''} onChange={(e) => void change(e.target.value)}>
          <option value="">{t('settings.retention.never')}</option>
          {[30, 90, 180, 365].map((days) => (
            <option key={days} value={days}>
              {t('settings.retention.days', { n: days })}
            </option>
          ))}
        </select>
      </label>
    </section>
  )
}

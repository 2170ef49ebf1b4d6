import { useShallow } from 'zustand/react/shallow'
import { ImportRange } from './ImportRange'
import { useT } from '../../state/locale'
import { LanguageSelect } from '../../components/LanguageSelect'
import { useWorkspace } from '../../state/workspace'
import { TwilioAccountForm } from './TwilioAccountForm'
import { TranscriptionSettings } from './TranscriptionSettings'
import { StorageSettings } from './StorageSettings'
import { SummarySettingsSection } from './SummarySettingsSection'
import './settings.css'
import { CommittedField } from '../../components/CommittedField'
import { OfficeSection } from '../office/OfficeSection'
import { isAdmin, useOffice } from '../../state/office'

export function SettingsPage() {
  const t = useT()
  const admin = useOffice((state) => isAdmin(state.status))

  return (
    <main className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <section aria-labelledby="settings-language" className="card">
        <h3 id="settings-language">{t('settings.language')}</h3>
        <LanguageSelect />
      </section>
      <OfficeSection />
      {!admin && <p className="hint">{t('office.staffSettings')}</p>}
      {admin && <OfficeSharedSettings />}
    </main>
  )
}

/** What an office shares (or a desktop's own): transcription, storage, summaries, Twilio. */
function OfficeSharedSettings() {
  const t = useT()
  const { view, updateSettings, disconnect } = useWorkspace(
    useShallow((state) => ({
      view: state.view,
      updateSettings: state.updateSettings,
      disconnect: state.disconnect,
    })),
  )
  if (!view) return null
  const { settings, twilio } = view

  const toggleDelete = (checked: boolean) => {
    if (checked && !window.confirm(t('settings.deleteConfirm'))) return
    void updateSettings({ deleteAfterDownload: checked })
  }

  return (
    <>
      <TranscriptionSettings />
      <StorageSettings />
      <SummarySettingsSection />
      <section aria-labelledby="settings-twilio" className="card">
        <h3 id="settings-twilio">{t('settings.twilio')}</h3>
        {twilio.configured && view.mode === 'twilio' ? (
          <>
            <p>
              {t('twilio.connectedAs', {
                account: twilio.accountSid ?? '',
                kind: twilio.authKind === 'api-key' ? t('twilio.apiKey') : t('twilio.authToken'),
              })}
            </p>
            <p className="hint">{t(`twilio.protection.${twilio.protection}`)}</p>
            <button type="button" onClick={() => void disconnect()}>
              {t('twilio.disconnect')}
            </button>
          </>
        ) : (
          <TwilioAccountForm />
        )}
        <ImportRange />
        <CommittedField
          label={t('settings.pollInterval')}
          kind="integer"
          min={15}
          max={3600}
          value={settings.pollIntervalSec}
          onCommit={(pollIntervalSec: number) => updateSettings({ pollIntervalSec })}
        />
        <label>
          {t('settings.format')}
          <select
            value={settings.format}
            onChange={(e) => void updateSettings({ format: e.target.value as 'mp3' | 'wav' })}
          >
            <option value="mp3">MP3</option>
            <option value="wav">WAV</option>
          </select>
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={settings.deleteAfterDownload}
            onChange={(e) => toggleDelete(e.target.checked)}
          />
          {t('settings.deleteAfter')}
        </label>
      </section>
    </>
  )
}

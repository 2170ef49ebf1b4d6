import type { TwilioSettings } from '../../shared/types'
import type { SettingsRepository } from '../store/settings'

export const DEFAULT_TWILIO_SETTINGS: TwilioSettings = {
  pollIntervalSec: 60,
  format: 'mp3',
  deleteAfterDownload: false,
  firstSyncDays: 30,
}

export function readTwilioSettings(settings: SettingsRepository): TwilioSettings {
  return { ...DEFAULT_TWILIO_SETTINGS, ...settings.get<Partial<TwilioSettings>>('twilio', {}) }
}

export function writeTwilioSettings(
  settings: SettingsRepository,
  patch: Partial<TwilioSettings>,
): TwilioSettings {
  const next = { ...readTwilioSettings(settings), ...patch }
  settings.set('twilio', next)
  return next
}

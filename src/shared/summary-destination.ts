import { notice, type Notice } from './notice'
import type { SummarySettings } from './settings'

/** Whether a server address is this computer (nothing leaves it). */
export function isLocalAddress(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)
  } catch {
    return false
  }
}

/**
 * In plain words, what leaves the computer for each call with these settings, and to where. Shared so
 * Settings can say it for a choice before it is saved, exactly as main says it for the saved one.
 */
export function whatIsSent(settings: Pick<SummarySettings, 'provider' | 'baseUrl' | 'model'>): Notice {
  if (settings.provider === 'extractive') return notice('summary.sends-nothing')
  if (settings.provider === 'openai') return notice('summary.sends-openai', { model: settings.model })
  return notice(isLocalAddress(settings.baseUrl) ? 'summary.sends-this-computer' : 'summary.sends-server', {
    server: settings.baseUrl,
    model: settings.model,
  })
}

import { create } from 'zustand'
import type { InterfaceSettings } from '../../shared/types'
import { api, unwrap } from '../api'
import { en, type MessageKey } from '../i18n/en'
import { he } from '../i18n/he'
import { errorMessage } from './errors'
import { describeNotice, interpolate, type Locale } from './notices'
import type { Notice } from '../../shared/notice'

export type { Locale }
const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, he }

/** Where these were kept before main held them; read once, handed to main, then removed. */
const LEGACY_KEYS = { locale: 'callscribe-locale', onboarded: 'callscribe-onboarded' } as const

function systemLocale(): Locale {
  return navigator.language.toLowerCase().startsWith('he') ? 'he' : 'en'
}

function apply(locale: Locale): void {
  document.documentElement.lang = locale
  document.documentElement.dir = locale === 'he' ? 'rtl' : 'ltr'
}

interface PreferencesState {
  /** False until main has answered: the app waits rather than flash the wrong language or first-run. */
  loaded: boolean
  /** null = follow the operating system. */
  choice: Locale | null
  locale: Locale
  onboarded: boolean
  error: string | null
  load(): Promise<void>
  choose(choice: Locale | null): Promise<void>
  finishOnboarding(): Promise<void>
  /** Another window changed them (main's `preferences.changed`). */
  set(preferences: InterfaceSettings): void
}

/** Interface preferences (language, first-run done), kept by main so every window and host port agree. */
export const usePreferences = create<PreferencesState>((set, get) => {
  const update = async (patch: Partial<InterfaceSettings>) => {
    try {
      get().set(unwrap(await api().call['preferences.update'](patch)))
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  }
  return {
    loaded: false,
    choice: null,
    locale: systemLocale(),
    onboarded: false,
    error: null,
    async load() {
      try {
        let preferences = unwrap(await api().call['preferences.get']())
        const legacy = readLegacy()
        if (legacy) preferences = unwrap(await api().call['preferences.update'](legacy))
        get().set(preferences)
      } catch (error) {
        set({ error: errorMessage(error), loaded: true })
      }
    },
    choose(choice) {
      // The page turns at once; main keeps the choice (and tells the other windows).
      const { onboarded } = get()
      get().set({ locale: choice, onboarded })
      return update({ locale: choice })
    },
    finishOnboarding: () => update({ onboarded: true }),
    set(preferences) {
      const locale = preferences.locale ?? systemLocale()
      apply(locale)
      set({ loaded: true, error: null, choice: preferences.locale, locale, onboarded: preferences.onboarded })
    },
  }
})

function readLegacy(): Partial<InterfaceSettings> | null {
  const locale = localStorage.getItem(LEGACY_KEYS.locale)
  const onboarded = localStorage.getItem(LEGACY_KEYS.onboarded)
  if (locale === null && onboarded === null) return null
  localStorage.removeItem(LEGACY_KEYS.locale)
  localStorage.removeItem(LEGACY_KEYS.onboarded)
  return {
    ...(locale === 'en' || locale === 'he' ? { locale } : {}),
    ...(onboarded !== null ? { onboarded: true } : {}),
  }
}

apply(systemLocale())

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

export function translate(locale: Locale): Translate {
  return (key, values) => {
    const template = DICTIONARIES[locale][key]
    return values ? interpolate(template, values, locale) : template
  }
}

/** The translate function for the current locale; components re-render when the locale changes. */
export function useT(): Translate {
  const locale = usePreferences((state) => state.locale)
  return translate(locale)
}

/** Words main's notices in the current locale. */
export function useNoticeText(): (notice: Notice) => string {
  const locale = usePreferences((state) => state.locale)
  return (notice) => describeNotice(locale, notice)
}

import { create } from 'zustand'
import { en, type MessageKey } from '../i18n/en'
import { he } from '../i18n/he'

export type Locale = 'en' | 'he'
const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, he }
const STORAGE_KEY = 'callscribe-locale'

function systemLocale(): Locale {
  return navigator.language.toLowerCase().startsWith('he') ? 'he' : 'en'
}

interface LocaleState {
  /** null = follow the operating system. */
  choice: Locale | null
  locale: Locale
  choose(choice: Locale | null): void
}

function apply(locale: Locale): void {
  document.documentElement.lang = locale
  document.documentElement.dir = locale === 'he' ? 'rtl' : 'ltr'
}

const stored = localStorage.getItem(STORAGE_KEY) as Locale | null
const initial = stored ?? systemLocale()
apply(initial)

export const useLocale = create<LocaleState>((set) => ({
  choice: stored,
  locale: initial,
  choose(choice) {
    if (choice) localStorage.setItem(STORAGE_KEY, choice)
    else localStorage.removeItem(STORAGE_KEY)
    const locale = choice ?? systemLocale()
    apply(locale)
    set({ choice, locale })
  },
}))

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

export function translate(locale: Locale): Translate {
  return (key, values) => {
    const template = DICTIONARIES[locale][key]
    return values
      ? template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`))
      : template
  }
}

/** The translate function for the current locale; components re-render when the locale changes. */
export function useT(): Translate {
  const locale = useLocale((state) => state.locale)
  return translate(locale)
}

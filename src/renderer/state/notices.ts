import type { Notice } from '../../shared/notice'
import { noticesEn } from '../i18n/notices.en'
import { noticesHe } from '../i18n/notices.he'

export type Locale = 'en' | 'he'

const NOTICES = { en: noticesEn, he: noticesHe } as const
/** Words a notice's values need in each language. */
const WORDS = {
  en: { errorCode: ' (error {code})', recording: 'recording', model: 'model' },
  he: { errorCode: ' (שגיאה {code})', recording: 'ההקלטה', model: 'המודל' },
} as const

// First-strong isolates: a value (a number, a path, a URL, a Latin name) keeps its own direction inside
// Hebrew text, so brackets and full stops around it land where a Hebrew reader expects them.
const FSI = '\u2068'
const PDI = '\u2069'

/** Fills `{name}` from `values`; in Hebrew each value is isolated (see above). */
export function interpolate(
  template: string,
  values: Record<string, string | number>,
  locale: Locale,
): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined) return `{${name}}`
    const text = String(value)
    return locale === 'he' && text !== '' ? `${FSI}${text}${PDI}` : text
  })
}

/** A notice from main in the interface language. */
export function describeNotice(locale: Locale, value: Notice): string {
  const words = WORDS[locale]
  const params = value.params ?? {}
  const errorCode = params['errorCode']
  const what = params['what']
  return interpolate(
    NOTICES[locale][value.code],
    {
      ...params,
      errorCode: errorCode === undefined ? '' : words.errorCode.replace('{code}', String(errorCode)),
      what: what === 'model' ? words.model : words.recording,
      detail: params['detail'] ?? '',
    },
    locale,
  )
}

/** The interface language as the page shows it (set by the preferences slice). */
export function pageLocale(): Locale {
  return document.documentElement.lang === 'he' ? 'he' : 'en'
}

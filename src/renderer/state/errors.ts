import { ApiError } from '../api'
import { describeNotice, pageLocale } from './notices'

/** What a failed request says: main's notice in the interface language, else the thrown text. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError && error.notice) return describeNotice(pageLocale(), error.notice)
  return error instanceof Error ? error.message : String(error)
}

/** Main refused because the OS cannot protect a secret and the user has not agreed to keep it anyway. */
export const needsConsent = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'needs-consent'

/**
 * How every slice runs a request: `work` sets what it got; a failure lands in the slice's `error` instead
 * of becoming an unhandled rejection, and a success clears it. Resolves to whether the work succeeded.
 */
export async function attempt(
  set: (partial: { error: string | null }) => void,
  work: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await work()
    set({ error: null })
    return true
  } catch (error) {
    set({ error: errorMessage(error) })
    return false
  }
}

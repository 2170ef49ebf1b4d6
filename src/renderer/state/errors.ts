import { ApiError } from '../api'

/** What a failed request says (main's message for an API error, the thrown text otherwise). */
export function errorMessage(error: unknown): string {
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

import type { CallscribeApi } from '../shared/api'

declare global {
  interface Window {
    /** Built by Electron's preload or the browser host's bridge; the renderer does not know which. */
    readonly callscribe: CallscribeApi
  }
}

export const api = (): CallscribeApi => window.callscribe
export { unwrap, ApiError } from '../shared/api-error'

import { createApi, type CallscribeApi } from '../../src/shared/api'
import type { EventName } from '../../src/shared/contract'
import type { Services } from '../../src/main/services'
import { dispatch } from '../helpers/services'

/**
 * Gives the renderer's slices a `window.callscribe` wired to real main services: requests go through the
 * same dispatcher as the app's transports, main's events come back as they would over IPC.
 */
export function connectRenderer(services: Services): { api: CallscribeApi; requests: string[] } {
  const requests: string[] = []
  const api = createApi({
    invoke: (name, input) => {
      requests.push(name)
      // Through JSON, like every transport: no object is shared between main and the renderer.
      return dispatch(services, name, JSON.parse(JSON.stringify(input ?? {})))
    },
    onEvent: (listener) =>
      void services.events.subscribe((name, payload) =>
        listener(name as EventName, JSON.parse(JSON.stringify(payload))),
      ),
    mediaUrl: (sid) => `callscribe-media://recording/${sid}`,
    pathForFile: () => null,
    signIn: null,
  })
  Object.defineProperty(window, 'callscribe', { value: api, configurable: true })
  return { api, requests }
}

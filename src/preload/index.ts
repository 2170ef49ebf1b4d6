import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { createApi } from '../shared/api'
import { EVENT_CHANNEL, MEDIA_SCHEME, invokeChannel, type EventName, type Envelope } from '../shared/contract'

/**
 * Exposes `window.callscribe` built from the contract. The page never sees `ipcRenderer` or raw IPC
 * events: only typed calls, typed subscriptions and media URLs.
 */
const api = createApi({
  invoke: (name, input) =>
    (ipcRenderer.invoke(invokeChannel(name), input) as Promise<Envelope<unknown>>).catch(
      (error: Error): Envelope<unknown> => ({
        ok: false,
        error: { code: 'internal', message: error.message },
      }),
    ),
  onEvent: (listener) => {
    ipcRenderer.on(EVENT_CHANNEL, (_event, message: { name: EventName; payload: unknown }) =>
      listener(message.name, message.payload),
    )
  },
  mediaUrl: (recordingSid) => `${MEDIA_SCHEME}://recording/${encodeURIComponent(recordingSid)}`,
  pathForFile: (file) => webUtils.getPathForFile(file) || null,
  signIn: null,
})

contextBridge.exposeInMainWorld('callscribe', api)

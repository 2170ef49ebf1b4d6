/**
 * Builds the renderer-facing `window.callscribe` API from a transport. Electron's preload and the
 * browser host's bridge both call this, so the renderer cannot tell which transport it runs on.
 */
import {
  requestNames,
  type Envelope,
  type EventName,
  type EventPayloads,
  type RequestInput,
  type RequestName,
  type RequestResult,
} from './contract'

export { ApiError, unwrap } from './api-error'

/**
 * Whether main can be reached. Electron's IPC always can; the browser host's socket can drop (the host
 * stopped) and come back, or the page's link can be one the host no longer accepts (it restarted); a
 * browser at the office server is `signed-out` until it signs in, and again once the office ends its session.
 */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'link-expired' | 'signed-out'

export interface Transport {
  invoke(name: RequestName, input: unknown): Promise<Envelope<unknown>>
  /** Receives every event; the API fans them out to subscribers. */
  onEvent(listener: (name: EventName, payload: unknown) => void): void
  /** Reports the connection (at once, then on every change); absent where it cannot drop. */
  onConnection?(listener: (state: ConnectionState) => void): void
  mediaUrl(recordingSid: string): string
  /** Where a picked file lives; null where the transport cannot know (a browser never tells). */
  pathForFile: ((file: File) => string | null) | null
  /**
   * A browser at the office server signs in with a pairing code (the page is `signed-out` until then);
   * null everywhere else (a desk joins in Settings instead).
   */
  signIn: ((code: string) => Promise<Envelope<null>>) | null
}

/**
 * Requests resolve to envelopes instead of rejecting: Electron's contextBridge copies only an Error's
 * message, so a thrown error would lose its code on one transport and keep it on the other.
 */
type RequestMethods = {
  [N in RequestName]: Record<never, never> extends RequestInput<N>
    ? (input?: RequestInput<N>) => Promise<Envelope<RequestResult<N>>>
    : (input: RequestInput<N>) => Promise<Envelope<RequestResult<N>>>
}

export interface CallscribeApi {
  call: RequestMethods
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void
  /** Calls `listener` with the connection's state now and on every change. */
  onConnection(listener: (state: ConnectionState) => void): void
  mediaUrl(recordingSid: string): string
  pathForFile: ((file: File) => string | null) | null
  signIn: ((code: string) => Promise<Envelope<null>>) | null
}

export function createApi(transport: Transport): CallscribeApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  transport.onEvent((name, payload) => {
    for (const listener of listeners.get(name) ?? []) listener(payload)
  })

  const call = {} as Record<RequestName, (input?: unknown) => Promise<Envelope<unknown>>>
  for (const name of requestNames) call[name] = (input: unknown = {}) => transport.invoke(name, input)

  return {
    call: call as RequestMethods,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      const wrapped = listener as (payload: unknown) => void
      set.add(wrapped)
      return () => set.delete(wrapped)
    },
    onConnection: (listener) =>
      transport.onConnection ? transport.onConnection(listener) : listener('connected'),
    mediaUrl: (recordingSid) => transport.mediaUrl(recordingSid),
    pathForFile: transport.pathForFile,
    signIn: transport.signIn,
  }
}

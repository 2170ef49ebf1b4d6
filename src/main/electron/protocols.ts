import type { Protocol } from 'electron'
import { MEDIA_SCHEME } from '../../shared/contract'
import { APP_SCHEME } from './security'

/** Must run before `app` is ready. `stream` lets <audio> read the media scheme progressively and seek. */
export function registerPrivilegedSchemes(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    {
      scheme: MEDIA_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ])
}

/**
 * The app page and the recordings are both served by our own handlers (Range is handled by the media
 * handler itself: `net.fetch('file://…')` would ignore it and break seeking).
 */
export function handleProtocols(
  protocol: Protocol,
  serveRenderer: (request: Request) => Promise<Response>,
  serveMedia: (request: Request) => Promise<Response>,
): void {
  protocol.handle(APP_SCHEME, serveRenderer)
  protocol.handle(MEDIA_SCHEME, serveMedia)
}

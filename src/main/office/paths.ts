import { BRIDGE_PATHS } from '../../browser/paths'

/**
 * The office server's own addresses, shared by the server and the desks that connect to it (a browser
 * signed in to the office uses the bridge's, src/browser/paths.ts: the contract and signing out are the same).
 */
export const OFFICE_PATHS = {
  /** POST: redeem a pairing code for a session (the only request without a session). */
  pair: '/__callscribe/pair',
  /** POST: end this session. */
  signOut: BRIDGE_PATHS.signOut,
  /** WebSocket: the contract. */
  ipc: BRIDGE_PATHS.ipc,
  /** GET + SHA-256: the office's Whisper model, for desks that transcribe for it. */
  model: '/__callscribe/model/',
  /** GET: a recording, with byte ranges. */
  media: '/media/',
} as const

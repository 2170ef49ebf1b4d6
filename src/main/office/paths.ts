/** The office server's own addresses, shared by the server and the desks that connect to it. */
export const OFFICE_PATHS = {
  /** POST: redeem a pairing code for a session (the only request without a session). */
  pair: '/__callscribe/pair',
  /** POST: end this session. */
  signOut: '/__callscribe/signout',
  /** WebSocket: the contract. */
  ipc: '/__callscribe/ipc',
  /** GET + SHA-256: the office's Whisper model, for desks that transcribe for it. */
  model: '/__callscribe/model/',
  /** GET: a recording, with byte ranges. */
  media: '/media/',
} as const

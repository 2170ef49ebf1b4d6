/**
 * The addresses a page in a plain browser uses, shared by the servers that serve it (the browser host, the
 * office server) and the bridges they serve.
 */
export const BRIDGE_PATHS = {
  /** GET: the bridge script, loaded before the renderer's own scripts. */
  script: '/__callscribe/bridge.js',
  /** WebSocket: the contract. */
  ipc: '/__callscribe/ipc',
  /**
   * GET: 204 while the page's session is valid (the host's per-run token, the office's session cookie),
   * 403 or 401 when not: lets a page tell an ended session from a server it cannot reach.
   */
  session: '/__callscribe/session',
  /** POST { code } (office server): redeems a pairing code for this browser's session cookie. */
  signIn: '/__callscribe/sign-in',
  /** POST (office server): ends this browser's session. */
  signOut: '/__callscribe/signout',
} as const

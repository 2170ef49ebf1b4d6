/** The browser host's own addresses, shared by the server and the bridge it serves. */
export const BRIDGE_PATH = '/__callscribe/bridge.js'
export const IPC_PATH = '/__callscribe/ipc'
/** Answers 204 to this run's token and 403 to any other: lets a page tell a stale link from a stopped host. */
export const SESSION_PATH = '/__callscribe/session'

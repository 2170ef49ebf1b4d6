import { create } from 'zustand'
import type { ConnectionState } from '../../shared/api'
import { api } from '../api'

interface ConnectionSlice {
  state: ConnectionState
}

export const useConnection = create<ConnectionSlice>(() => ({ state: 'connecting' }))

/**
 * Follows the connection to main; when it comes back after a drop, `onReconnected` reloads what the page
 * shows (events sent while it was down are lost).
 */
export function followConnection(onReconnected: () => void): void {
  api().onConnection((state) => {
    const before = useConnection.getState().state
    useConnection.setState({ state })
    if (state === 'connected' && before === 'disconnected') onReconnected()
  })
}

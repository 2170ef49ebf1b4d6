import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { invokeChannel, requestNames } from '../../shared/contract'
import type { Dispatch } from '../ipc/dispatch'

/**
 * Registers one `ipcMain.handle` per contract request. Every call is checked for its sender frame
 * (only the app's own page) before its argument is validated and dispatched.
 */
export function registerIpcHandlers(
  ipcMain: IpcMain,
  dispatch: Dispatch,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): void {
  for (const name of requestNames) {
    ipcMain.handle(invokeChannel(name), (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: `${name} refused: the caller is not the CallScribe window` },
        }
      }
      return dispatch(name, input)
    })
  }
}

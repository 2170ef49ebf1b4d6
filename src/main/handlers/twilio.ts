import type { Services } from '../services'
import { requestOlderImport } from '../twilio/sync'
import type { Handlers } from '../ipc/dispatch'

/** The Twilio account (or the demo's), its settings, and the sync that reads it. */
export const twilioHandlers = ({ workspace, library, sync }: Services) =>
  ({
    'workspace.get': () => workspace.view(),
    'workspace.startDemo': async () => {
      await workspace.startDemo()
      return workspace.view()
    },
    'twilio.testConnection': ({ credentials }) => workspace.test(credentials),
    'twilio.saveCredentials': async ({ credentials, allowUnprotected }) => {
      await workspace.saveCredentials(credentials, { allowUnprotected })
      return workspace.view()
    },
    'twilio.clearCredentials': async () => {
      await workspace.clearCredentials()
      return workspace.view()
    },
    'twilio.importOlder': async ({ days }) => {
      await requestOlderImport(library, Date.now() - days * 86_400_000)
      void sync.pollNow()
      return workspace.view()
    },
    'twilio.updateSettings': async (patch) => {
      await library.settings.update('twilio', patch)
      return workspace.view()
    },
    'sync.status': () => sync.status(),
    'sync.now': () => sync.pollNow(),
  }) satisfies Partial<Handlers>

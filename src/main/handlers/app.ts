import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'

export const appHandlers = ({ info, paths, retention, store, events }: Services) =>
  ({
    'app.info': () => info,
    'app.getSettings': () => ({ dataDir: paths.dataDir, ...retention.settings() }),
    'app.updateSettings': async (settings) => ({
      dataDir: paths.dataDir,
      ...(await retention.update(settings)),
    }),
    'preferences.get': () => store.settings.get('interface'),
    'preferences.update': (patch) => {
      const preferences = store.settings.update('interface', patch)
      events.emit('preferences.changed', preferences)
      return preferences
    },
  }) satisfies Partial<Handlers>

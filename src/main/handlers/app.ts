import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'

export const appHandlers = ({ info, paths, retention, library, events }: Services) =>
  ({
    'app.info': () => info,
    'app.getSettings': () => ({ dataDir: paths.dataDir, ...retention.settings() }),
    'app.updateSettings': async (settings) => ({
      dataDir: paths.dataDir,
      ...(await retention.update(settings)),
    }),
    'preferences.get': () => library.settings.get('interface'),
    'preferences.update': async (patch) => {
      const preferences = await library.settings.update('interface', patch)
      events.emit('preferences.changed', preferences)
      return preferences
    },
  }) satisfies Partial<Handlers>

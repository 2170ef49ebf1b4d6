import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'

export const summaryHandlers = ({ summaries }: Services) =>
  ({
    'summaries.getSettings': () => summaries.view(),
    'summaries.updateSettings': async (patch) => {
      await summaries.update(patch)
      return summaries.view()
    },
    'calls.resummarize': ({ callSid }) => summaries.resummarize(callSid),
  }) satisfies Partial<Handlers>

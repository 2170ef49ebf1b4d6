import { PRIORITY } from '../jobs/queue'
import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'

/** Whisper models and the transcription settings that choose among them. */
export const modelHandlers = ({ models, queue }: Services) =>
  ({
    'models.list': () => models.view(),
    'models.download': ({ modelId }) => {
      models.catalogueEntry(modelId)
      return queue.enqueue('model-download', modelId, { priority: PRIORITY.user, force: true })
    },
    'models.import': async ({ path }) => {
      const id = await models.import(path)
      if (!models.transcriptionSettings().modelId) await models.updateSettings({ modelId: id })
      await queue.wake('recording-transcription')
      return models.view()
    },
    'models.remove': async ({ modelId }) => {
      await models.remove(modelId)
      return models.view()
    },
    'transcription.updateSettings': async (patch) => {
      await models.updateSettings(patch)
      await queue.wake('recording-transcription')
      return models.view()
    },
  }) satisfies Partial<Handlers>

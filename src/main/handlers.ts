import type { CallDetail } from '../shared/types'
import { NotFoundError } from './errors'
import type { Handlers } from './ipc/dispatch'
import type { Services } from './services'
import { simpleDirection } from './store/calls'
import { requestOlderImport } from './twilio/sync'
import { PRIORITY } from './jobs/queue'

/** One handler per contract request. Arguments arrive already validated against the contract. */
export function createHandlers(services: Services): Handlers {
  const { store, queue, recordings, workspace, models } = services
  return {
    'app.info': () => services.info,
    'app.getSettings': () => ({ dataDir: services.paths.dataDir, ...store.settings.get('retention') }),
    'app.updateSettings': async ({ deleteAudioAfterDays }) => {
      store.settings.set('retention', { deleteAudioAfterDays })
      await services.applyRetention()
      return { dataDir: services.paths.dataDir, ...store.settings.get('retention') }
    },

    'preferences.get': () => store.settings.get('interface'),
    'preferences.update': (patch) => {
      const preferences = store.settings.update('interface', patch)
      services.events.emit('preferences.changed', preferences)
      return preferences
    },

    'calls.list': (query) => store.calls.list(query),

    'calls.get': ({ callSid }): CallDetail => {
      // Any leg's SID opens its conversation.
      const call = store.calls.conversationOf(callSid)
      if (!call) throw new NotFoundError(`No call ${callSid}`)
      const recording = store.recordings.latestOf(call.id)
      const transcript = recording ? store.transcripts.ofRecording(recording.id) : null
      return {
        callSid: call.sid,
        from: call.from_number,
        to: call.to_number,
        direction: simpleDirection(call.direction),
        twilioDirection: call.direction,
        status: call.status,
        startedAt: call.start_time,
        durationSec: call.duration_sec,
        answeredBy: store.calls.answeredBy(call.id),
        recording: recording
          ? {
              recordingSid: recording.sid,
              channels: recording.channels,
              durationSec: recording.duration_sec,
              availability: recordings.availabilityOf(recording),
            }
          : null,
        transcript: transcript
          ? {
              language: transcript.language,
              model: transcript.model,
              createdAt: transcript.createdAt,
              notes: transcript.notes,
              segments: transcript.segments,
            }
          : null,
        summary: transcript ? store.summaries.latestOf(transcript.id) : null,
      }
    },

    'calls.history': ({ number, limit }) => store.calls.historyOf(number, limit),

    'search.query': ({ text, limit }) => store.search.query(text, limit),

    'recordings.prepare': ({ recordingSid }) => recordings.prepare(recordingSid),

    'jobs.list': ({ states }) => queue.list(states),
    'jobs.retry': ({ jobId }) => queue.retry(jobId),
    'jobs.cancel': ({ jobId }) => queue.cancel(jobId),

    'workspace.get': () => workspace.view(),
    'workspace.startDemo': async () => {
      await workspace.startDemo()
      void services.credentialsChanged()
      return workspace.view()
    },
    'twilio.testConnection': ({ credentials }) => workspace.test(credentials),
    'twilio.saveCredentials': async ({ credentials, allowUnprotected }) => {
      await workspace.saveCredentials(credentials, { allowUnprotected })
      void services.credentialsChanged()
      return workspace.view()
    },
    'twilio.clearCredentials': async () => {
      await workspace.clearCredentials()
      void services.credentialsChanged()
      return workspace.view()
    },
    'twilio.importOlder': async ({ days }) => {
      requestOlderImport(store, Date.now() - days * 86_400_000)
      void services.sync.pollNow()
      return workspace.view()
    },
    'twilio.updateSettings': (patch) => {
      store.settings.update('twilio', patch)
      return workspace.view()
    },
    'models.list': () => models.view(),
    'models.download': ({ modelId }) => {
      models.catalogueEntry(modelId)
      return queue.enqueue('model-download', modelId, { priority: PRIORITY.user, force: true })
    },
    'models.import': async ({ path }) => {
      const id = await models.import(path)
      if (!models.transcriptionSettings().modelId) models.updateSettings({ modelId: id })
      queue.wake('recording-transcription')
      return models.view()
    },
    'models.remove': async ({ modelId }) => {
      await models.remove(modelId)
      return models.view()
    },
    'transcription.updateSettings': (patch) => {
      models.updateSettings(patch)
      queue.wake('recording-transcription')
      return models.view()
    },
    'summaries.getSettings': () => services.summaries.view(),
    'summaries.updateSettings': async (patch) => {
      await services.summaries.update(patch)
      return services.summaries.view()
    },
    'calls.resummarize': ({ callSid }) => {
      const call = store.calls.getCall(callSid)
      const recording = call ? store.recordings.latestOf(call.id) : undefined
      if (!recording || !store.transcripts.ofRecording(recording.id))
        throw new NotFoundError('This call has no transcript to summarize yet.')
      return queue.enqueue('recording-summary', recording.sid, {
        priority: PRIORITY.user,
        force: true,
        payload: { force: true },
      })
    },
    'sync.status': () => services.sync.status(),
    'work.status': () => ({ paused: services.runner.paused }),
    'sync.now': () => services.sync.pollNow(),
  }
}

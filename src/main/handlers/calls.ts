import { notice } from '../../shared/notice'
import { NotFoundError } from '../errors'
import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'

export const callHandlers = ({ store, recordings, events }: Services) =>
  ({
    'calls.list': (query) => store.calls.list(query),
    // Any leg's SID opens its conversation.
    'calls.get': ({ callSid }) => {
      const detail = store.callDetail(callSid, (recording) => recordings.availabilityOf(recording))
      if (!detail) throw new NotFoundError(notice('not-found.call'))
      return detail
    },
    'calls.review': ({ callSid, ...change }, caller) => {
      const call = store.calls.conversationOf(callSid)
      if (!call) throw new NotFoundError(notice('not-found.call'))
      store.reviews.change(call.id, change, caller.person)
      // Every window (every desk, in office mode) shows the change at once.
      events.emit('calls.changed', { callSids: [call.sid] })
      return store.callDetail(call.sid, (recording) => recordings.availabilityOf(recording))!
    },
    'calls.history': ({ number, limit }) => store.calls.historyOf(number, limit),
    'search.query': ({ text, limit }) => store.search.query(text, limit),
  }) satisfies Partial<Handlers>

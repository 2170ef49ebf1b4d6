import { notice } from '../../shared/notice'
import { NotFoundError } from '../errors'
import { readCallDetail } from '../store/call-detail'
import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'

export const callHandlers = ({ library, recordings, events }: Services) => {
  const detailOf = async (callSid: string) => {
    const detail = await readCallDetail(library, callSid, (recording) => recordings.availabilityOf(recording))
    if (!detail) throw new NotFoundError(notice('not-found.call'))
    return detail
  }
  return {
    'calls.list': (query) => library.calls.list(query),
    // Any leg's SID opens its conversation.
    'calls.get': ({ callSid }) => detailOf(callSid),
    'calls.review': async ({ callSid, ...change }, caller) => {
      const call = await library.calls.conversationOf(callSid)
      if (!call) throw new NotFoundError(notice('not-found.call'))
      await library.reviews.change(call.id, change, caller.person)
      // Every window (every desk, in office mode) shows the change at once.
      events.emit('calls.changed', { callSids: [call.sid] })
      return detailOf(call.sid)
    },
    'calls.history': ({ number, limit }) => library.calls.historyOf(number, limit),
    'search.query': ({ text, limit }) => library.search.query(text, limit),
  } satisfies Partial<Handlers>
}

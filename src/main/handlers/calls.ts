import { notice } from '../../shared/notice'
import { NotFoundError } from '../errors'
import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'

export const callHandlers = ({ store, recordings }: Services) =>
  ({
    'calls.list': (query) => store.calls.list(query),
    // Any leg's SID opens its conversation.
    'calls.get': ({ callSid }) => {
      const detail = store.callDetail(callSid, (recording) => recordings.availabilityOf(recording))
      if (!detail) throw new NotFoundError(notice('not-found.call'))
      return detail
    },
    'calls.history': ({ number, limit }) => store.calls.historyOf(number, limit),
    'search.query': ({ text, limit }) => store.search.query(text, limit),
  }) satisfies Partial<Handlers>

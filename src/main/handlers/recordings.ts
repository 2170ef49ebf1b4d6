import type { Handlers } from '../ipc/dispatch'
import type { Services } from '../services'

/** The player's one request: get this recording ready (download it now, or retry a failed download). */
export const recordingHandlers = ({ recordings }: Services) =>
  ({
    'recordings.prepare': ({ recordingSid }) => recordings.prepare(recordingSid),
  }) satisfies Partial<Handlers>

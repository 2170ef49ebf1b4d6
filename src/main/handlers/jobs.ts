import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'

export const jobHandlers = ({ queue, runner }: Services) =>
  ({
    'jobs.list': ({ states }) => queue.list(states),
    'jobs.retry': ({ jobId }) => queue.retry(jobId),
    'jobs.cancel': ({ jobId }) => queue.cancel(jobId),
    'work.status': () => ({ paused: runner.paused }),
  }) satisfies Partial<Handlers>

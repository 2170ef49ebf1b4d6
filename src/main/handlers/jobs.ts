import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'
import { withCall } from '../jobs/job-calls'

export const jobHandlers = ({ queue, runner, store }: Services) =>
  ({
    'jobs.list': ({ states }) => queue.list(states).map((job) => withCall(store, job)),
    'jobs.retry': ({ jobId }) => queue.retry(jobId),
    'jobs.cancel': ({ jobId }) => queue.cancel(jobId),
    'work.status': () => ({ paused: runner.paused }),
  }) satisfies Partial<Handlers>

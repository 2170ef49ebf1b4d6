import type { Services } from '../services'
import type { Handlers } from '../ipc/dispatch'
import { withCall } from '../jobs/job-calls'

export const jobHandlers = ({ queue, runner, library }: Services) =>
  ({
    'jobs.list': async ({ states }) =>
      Promise.all((await queue.list(states)).map((job) => withCall(library, job))),
    'jobs.retry': ({ jobId }) => queue.retry(jobId),
    'jobs.cancel': ({ jobId }) => queue.cancel(jobId),
    'work.status': () => ({ paused: runner.paused }),
  }) satisfies Partial<Handlers>

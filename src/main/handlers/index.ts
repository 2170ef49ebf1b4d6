import { createDispatcher, type Dispatch } from '../ipc/dispatch'
import type { Services } from '../services'
import { appHandlers } from './app'
import { callHandlers } from './calls'
import { jobHandlers } from './jobs'
import { modelHandlers } from './models'
import { officeHandlers } from './office'
import { recordingHandlers } from './recordings'
import { summaryHandlers } from './summaries'
import { twilioHandlers } from './twilio'
import type { Handlers } from '../ipc/dispatch'

/**
 * One handler per contract request, by domain. Arguments arrive already validated against the contract;
 * the type checker insists every request has exactly one handler.
 */
export function createHandlers(services: Services): Handlers {
  return {
    ...appHandlers(services),
    ...callHandlers(services),
    ...recordingHandlers(services),
    ...jobHandlers(services),
    ...twilioHandlers(services),
    ...modelHandlers(services),
    ...summaryHandlers(services),
    ...officeHandlers(services),
  }
}

/** What a transport (Electron IPC, the browser host's WebSocket) hands each request to. */
export function createRequestDispatcher(services: Services): Dispatch {
  const dispatch = createDispatcher(createHandlers(services), {
    log: services.log,
    redact: (value) => services.redactor.redactDeep(value),
  })
  // A desk that joined the office sends most requests there.
  return services.desk ? services.desk.route(dispatch) : dispatch
}

/**
 * Who may make which request. On a desktop library the one user may make every request; in office mode
 * each person signs in with a role and the server refuses a request their role does not allow. The map
 * names every request of the contract (the type checker insists), so a new request must be given a role.
 */
import type { RequestName } from './contract'

export const ROLES = ['admin', 'staff'] as const
export type Role = (typeof ROLES)[number]

/** Who makes a request: a person of the office (by name), or the desktop's own user (null). */
export interface Caller {
  person: string | null
  role: Role
}

/** The desktop's one user: everything is theirs. */
export const DESKTOP_USER: Caller = { person: null, role: 'admin' }

/**
 * `staff`: reviewing calls (read, search, play, flag, note, assign) and the work queue; `admin` also
 * changes what the office shares: Twilio, models, summaries, settings, people.
 */
export const REQUEST_ROLES = {
  'app.info': 'staff',
  'app.getSettings': 'staff',
  'app.updateSettings': 'admin',
  'preferences.get': 'staff',
  'preferences.update': 'admin',
  'calls.list': 'staff',
  'calls.get': 'staff',
  'calls.history': 'staff',
  'calls.review': 'staff',
  'search.query': 'staff',
  'recordings.prepare': 'staff',
  'jobs.list': 'staff',
  'jobs.retry': 'staff',
  'jobs.cancel': 'admin',
  'workspace.get': 'staff',
  'workspace.startDemo': 'admin',
  'twilio.testConnection': 'admin',
  'twilio.saveCredentials': 'admin',
  'twilio.clearCredentials': 'admin',
  'twilio.importOlder': 'admin',
  'twilio.updateSettings': 'admin',
  'models.list': 'staff',
  'models.download': 'admin',
  'models.import': 'admin',
  'models.remove': 'admin',
  'transcription.updateSettings': 'admin',
  'summaries.getSettings': 'staff',
  'summaries.updateSettings': 'admin',
  'calls.resummarize': 'staff',
  'sync.status': 'staff',
  'sync.now': 'staff',
  'work.status': 'staff',
  'office.status': 'staff',
  'office.connect': 'staff',
  'office.disconnect': 'staff',
  'office.people': 'admin',
  'office.invite': 'admin',
  'office.revoke': 'admin',
  'office.names': 'staff',
  'office.offerWork': 'staff',
  'work.claim': 'staff',
  'work.heartbeat': 'staff',
  'work.complete': 'staff',
  'work.fail': 'staff',
  'work.release': 'staff',
} as const satisfies Record<RequestName, Role>

export function mayMake(caller: Caller, name: RequestName): boolean {
  return caller.role === 'admin' || REQUEST_ROLES[name] === 'staff'
}

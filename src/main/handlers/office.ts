import { notice } from '../../shared/notice'
import { UserFacingError } from '../errors'
import type { Handlers } from '../ipc/dispatch'
import type { Services } from '../services'

const notAServer = () => new UserFacingError('invalid-argument', notice('office.not-a-server'))

export const officeHandlers = ({ officeAccess, desk, remoteWork }: Services) =>
  ({
    'office.status': (_, caller) =>
      officeAccess ? { kind: 'server', person: caller.person, role: caller.role } : desk!.status(),
    // Joining and leaving are a desk's business; the office server is already the office.
    'office.connect': ({ address, code, allowUnprotected }) => {
      if (!desk) throw notAServer()
      return desk.connect(address, code, allowUnprotected)
    },
    'office.disconnect': () => {
      if (!desk) throw notAServer()
      return desk.disconnect()
    },
    'office.people': () => {
      if (!officeAccess) throw notAServer()
      return officeAccess.people()
    },
    'office.invite': ({ name, role }) => {
      if (!officeAccess) throw notAServer()
      return officeAccess.invite(name, role)
    },
    'office.revoke': ({ sessionId }) => {
      if (!officeAccess) throw notAServer()
      return officeAccess.revoke(sessionId)
    },
    'office.names': async () => ({
      names: officeAccess ? (await officeAccess.people()).people.map((person) => person.name) : [],
    }),
    'office.offerWork': ({ enabled }) => {
      if (!desk) throw notAServer()
      return desk.offerWork(enabled)
    },
    'work.claim': async (_, caller) => {
      if (!remoteWork) throw notAServer()
      return { item: await remoteWork.claim(caller.person ?? 'desk') }
    },
    'work.heartbeat': async ({ jobId, leaseToken, progress }) => {
      if (!remoteWork) throw notAServer()
      return { current: await remoteWork.heartbeat(jobId, leaseToken, progress) }
    },
    'work.complete': async ({ jobId, leaseToken, transcript }) => {
      if (!remoteWork) throw notAServer()
      return { recorded: await remoteWork.complete(jobId, leaseToken, transcript) }
    },
    'work.fail': async ({ jobId, leaseToken, reason, retryable }) => {
      if (!remoteWork) throw notAServer()
      return { current: await remoteWork.fail(jobId, leaseToken, reason, retryable) }
    },
    'work.release': async ({ jobId, leaseToken }) => {
      if (!remoteWork) throw notAServer()
      return { current: await remoteWork.release(jobId, leaseToken) }
    },
  }) satisfies Partial<Handlers>

import { notice } from '../../src/shared/notice'
import { describe, expect, it } from 'vitest'
import { requestNames } from '../../src/shared/contract'
import { createDispatcher as createWithOptions, type Handlers } from '../../src/main/ipc/dispatch'
import { Redactor, createLogger } from '../../src/main/secrets/redact'
import { NotFoundError } from '../../src/main/errors'

const redactor = new Redactor()
redactor.add('s3cr3t-value')
const logged: string[] = []
const log = createLogger(redactor, {
  info: (m: string) => logged.push(m),
  warn: (m: string) => logged.push(m),
  error: (m: string) => logged.push(m),
})
const createDispatcher = (handlers: Handlers) =>
  createWithOptions(handlers, { log, redact: (value) => redactor.redactDeep(value) })

function handlersWith(overrides: Partial<Handlers>): Handlers {
  const unexpected = () => {
    throw new Error('not expected in this test')
  }
  return Object.fromEntries(requestNames.map((name) => [name, overrides[name] ?? unexpected])) as Handlers
}

describe('request dispatch', () => {
  it('a library that cannot be used (PostgreSQL away, a full disk) answers "unavailable" with what to do', async () => {
    const away = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    let failure: Error = away
    const dispatch = createDispatcher(
      handlersWith({
        'calls.review': () => {
          throw failure
        },
      }),
    )
    const review = { callSid: `CA${'0'.repeat(32)}`, note: 'call back' }
    expect(await dispatch('calls.review', review)).toMatchObject({
      ok: false,
      error: { code: 'unavailable', notice: notice('library.unavailable') },
    })
    failure = full
    expect(await dispatch('calls.review', review)).toMatchObject({
      ok: false,
      error: { code: 'unavailable', notice: notice('library.full') },
    })
  })

  it('passes validated arguments with defaults applied to the handler', async () => {
    let received: unknown
    const dispatch = createDispatcher(
      handlersWith({ 'calls.list': (args) => ((received = args), { items: [], nextCursor: null }) }),
    )
    expect(await dispatch('calls.list', { direction: 'inbound' })).toEqual({
      ok: true,
      value: { items: [], nextCursor: null },
    })
    expect(received).toEqual({ direction: 'inbound', limit: 100 })
  })

  it('refuses an invalid argument with a message naming the field, without calling the handler', async () => {
    let called = false
    const dispatch = createDispatcher(handlersWith({ 'calls.get': () => ((called = true), null as never) }))
    const result = await dispatch('calls.get', { callSid: '../../etc/passwd' })
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid-argument',
        message: expect.stringMatching(
          /^Invalid argument for calls\.get: callSid: must be a Twilio Call SID/,
        ),
      },
    })
    expect(called).toBe(false)
    expect(await dispatch('calls.list', { limit: 10_000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringContaining('limit') },
    })
    expect(await dispatch('calls.list', { extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    })
  })

  it('answers unknown requests and prototype names as unknown', async () => {
    const dispatch = createDispatcher(handlersWith({}))
    for (const name of ['nope', 'constructor', '__proto__', 'toString']) {
      expect(await dispatch(name, {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    }
  })

  it('turns a missing thing into not-found and a crash into a reported internal error', async () => {
    const dispatch = createDispatcher(
      handlersWith({
        'jobs.retry': () => {
          throw new NotFoundError(notice('not-found.recording'))
        },
        'jobs.cancel': () => {
          throw new Error('disk I/O error')
        },
      }),
    )
    expect(await dispatch('jobs.retry', { jobId: 7 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'not-found.recording', notice: notice('not-found.recording') },
    })
    expect(await dispatch('jobs.cancel', { jobId: 7 })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'jobs.cancel failed: disk I/O error' },
    })
  })
})

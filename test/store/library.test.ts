import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SqliteLibrary } from '../../src/main/store/sqlite-library'
import { tempDir } from '../helpers/temp'

const libraries: SqliteLibrary[] = []
afterEach(async () => {
  for (const library of libraries.splice(0)) await library.close()
})

function open(): SqliteLibrary {
  const library = SqliteLibrary.open(join(tempDir(), 'callscribe.db'))
  libraries.push(library)
  return library
}

const call = (sid: string) => ({
  sid,
  from: '+14155550123',
  to: '+14155550999',
  direction: 'inbound',
  status: 'completed',
  startTime: Date.UTC(2026, 10, 26, 9),
  durationSec: 60,
})

const later = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('the desktop library behind its asynchronous surface', () => {
  it('a transaction that awaits between its writes keeps them together: none is seen before all are', async () => {
    const library = open()
    const seen: (string | undefined)[] = []
    const writing = library.transaction(async () => {
      await library.calls.upsertCall(call('CA1'))
      await later() // other work gets the event loop here
      await library.calls.upsertCall(call('CA2'))
    })
    // A read from outside, made while the transaction is open (after its first write), waits for it to end.
    const reading = library.calls.getCall('CA2').then((row) => seen.push(row?.sid))
    await Promise.all([writing, reading])
    expect(seen).toEqual(['CA2'])
  })

  it('a failed transaction leaves nothing; a failed nested one undoes only its own writes', async () => {
    const library = open()
    await expect(
      library.transaction(async () => {
        await library.calls.upsertCall(call('CA-gone'))
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await library.calls.getCall('CA-gone')).toBeUndefined()

    await library.transaction(async () => {
      await library.calls.upsertCall(call('CA-kept'))
      await library
        .transaction(async () => {
          await library.calls.upsertCall(call('CA-bad'))
          throw new Error('one bad record')
        })
        .catch(() => undefined)
      await library.calls.upsertCall(call('CA-after'))
    })
    expect(await library.calls.getCall('CA-kept')).toBeDefined()
    expect(await library.calls.getCall('CA-bad')).toBeUndefined()
    expect(await library.calls.getCall('CA-after')).toBeDefined()
  })

  it('two transactions started together run one after the other, both whole', async () => {
    const library = open()
    const order: string[] = []
    const one = (name: string) =>
      library.transaction(async () => {
        order.push(`${name} starts`)
        await library.calls.upsertCall(call(`CA-${name}`))
        await later()
        order.push(`${name} ends`)
      })
    await Promise.all([one('a'), one('b')])
    expect(order).toEqual(['a starts', 'a ends', 'b starts', 'b ends'])
  })

  it('work started from inside a transaction but detached from it waits for it, and sees it whole', async () => {
    const library = open()
    let detachedSaw: string | undefined = 'not yet'
    let detached: Promise<unknown> = Promise.resolve()
    await library.transaction(async () => {
      await library.calls.upsertCall(call('CA-first'))
      // A listener told of the first write starts its own work: it must not join this transaction.
      detached = library.detached(() =>
        library.calls.getCall('CA-second').then((row) => (detachedSaw = row?.sid)),
      )
      await later()
      await library.calls.upsertCall(call('CA-second'))
    })
    await detached
    expect(detachedSaw).toBe('CA-second')
  })
})

import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { OfficeAccess, SESSION_IDLE_DAYS } from '../../src/main/office/access'
import { deskProof } from '../../src/main/office/pairing'
import { Store } from '../../src/main/store'
import { SqliteLibrary } from '../../src/main/store/sqlite-library'
import { tempDir } from '../helpers/temp'

const stores: Store[] = []
afterEach(() => stores.splice(0).forEach((store) => store.close()))

function office(clock: { now: number }) {
  const store = Store.open(join(tempDir(), 'callscribe.db'))
  stores.push(store)
  return new OfficeAccess(
    new SqliteLibrary(store).officeAccess,
    { fingerprint: 'fp', address: 'https://office:4433' },
    () => clock.now,
  )
}

describe('who may use the office server', () => {
  it('a code expires after 15 minutes, unused', async () => {
    const clock = { now: Date.UTC(2026, 10, 26, 9) }
    const access = office(clock)
    const { code } = await access.invite('Dana', 'staff')
    clock.now += 15 * 60_000 + 1
    await expect(access.pair(deskProof(code, 'fp'), 'laptop', '10.0.0.2')).rejects.toThrow(
      expect.objectContaining({ notice: { code: 'office.code-invalid', params: { minutes: 15 } } }),
    )
    expect((await access.people()).invitations).toEqual([])
  })

  it('a computer unseen for 90 days is signed out; one in use stays signed in', async () => {
    const clock = { now: Date.UTC(2026, 10, 26, 9) }
    const access = office(clock)
    const idle = await access.pair(
      deskProof((await access.invite('Dana', 'staff')).code, 'fp'),
      'old laptop',
      'a',
    )
    const busy = await access.pair(deskProof((await access.invite('Noa', 'admin')).code, 'fp'), 'desk', 'b')
    for (let day = 0; day <= SESSION_IDLE_DAYS; day += 10) {
      clock.now += 10 * 86_400_000
      expect(await access.authenticate(busy.token)).toMatchObject({
        caller: { person: 'Noa', role: 'admin' },
      })
    }
    expect(await access.authenticate(idle.token)).toBeNull()
    expect((await access.people()).people.find((person) => person.name === 'Dana')?.sessions).toEqual([])
  })
})

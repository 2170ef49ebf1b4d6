import { describe, expect, it } from 'vitest'
import { officeAddress } from '../../src/main/office/desk/pinned-connection'
import { deskProof, newPairingCode, normalizeCode } from '../../src/main/office/pairing'

describe('the address a person types to join the office', () => {
  it.for([
    ['office-pc:4433', 'https://office-pc:4433'],
    ['https://10.0.0.5:4433/', 'https://10.0.0.5:4433'],
    ['HTTPS://Office-PC.local:4433', 'https://office-pc.local:4433'],
    ['http://127.0.0.1:4433', 'http://127.0.0.1:4433'],
    ['https://[fe80::1]:4433', 'https://[fe80::1]:4433'],
  ])('takes %s as %s', ([typed, origin]) => {
    expect(officeAddress(typed!).origin).toBe(origin)
  })

  it.for([
    'http://office-pc:4433', // plain HTTP beyond this computer
    '../../etc/passwd',
    '..\\..\\windows\\win.ini',
    'https://user:secret@office-pc:4433',
    'https://office-pc:4433/some/page',
    'https://office-pc:4433/?token=1',
    'ftp://office-pc',
    'https://-bad-.example',
  ])('refuses %s with the expected form', (typed) => {
    expect(() => officeAddress(typed)).toThrow(
      expect.objectContaining({ notice: { code: 'office.address-format' } }),
    )
  })
})

describe('pairing codes', () => {
  it('are two groups of five unambiguous characters, read back the way people mistype them', () => {
    const code = newPairingCode()
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/)
    expect(normalizeCode(' 7kq2m - x9d4a ')).toBe('7KQ2MX9D4A')
    expect(deskProof('1O1L0-ABCDE', 'fp')).toBe(deskProof('10110-ABCDE', 'fp'))
  })

  it('a proof names both the code and the certificate it was made for', () => {
    expect(deskProof('7KQ2M-X9D4A', 'aa')).not.toBe(deskProof('7KQ2M-X9D4A', 'bb'))
    expect(deskProof('7KQ2M-X9D4A', 'aa')).not.toBe(deskProof('7KQ2M-X9D4B', 'aa'))
  })
})

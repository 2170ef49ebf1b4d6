import { describe, expect, it } from 'vitest'
import { ibanValid, israeliIdValid, luhnValid, maskTexts, unmask } from '../../src/main/summaries/mask'

describe('masking personal data before it leaves the machine', () => {
  it('masks phone numbers, e-mail, valid card numbers, valid Israeli IDs and IBANs with stable placeholders', () => {
    const { text, values } = maskTexts([
      'Call me on 050-123-4567 or +972 50 123 4567, email dana.levi@example.co.il',
      'Card 4580 1234 5678 9015, my ID is 123456782 and the IBAN is IL62 0108 0000 0009 9999 999',
      'Reference 123456789 is no valid ID and 4580 1234 5678 9016 is no valid card',
    ])
    expect(text[0]).toBe('Call me on [PHONE_1] or [PHONE_2], email [EMAIL_1]')
    expect(text[1]).toBe('Card [CARD_1], my ID is [ID_1] and the IBAN is [IBAN_1]')
    // A 9-digit number failing the ID check may still be a phone number: masked as one, not as an ID.
    expect(text[2]).toBe('Reference [PHONE_3] is no valid ID and 4580 1234 5678 9016 is no valid card')
    expect(values.get('[EMAIL_1]')).toBe('dana.levi@example.co.il')
    expect(unmask({ items: ['ring [PHONE_1]', '[ID_1]'] }, values)).toEqual({
      items: ['ring 050-123-4567', '123456782'],
    })
  })

  it('gives the same value the same placeholder everywhere in the call', () => {
    const { text } = maskTexts([
      'my number is 0501234567',
      'again: 0501234567',
      'השם שלי דנה והטלפון 0501234567',
    ])
    expect(text).toEqual(['my number is [PHONE_1]', 'again: [PHONE_1]', 'השם שלי דנה והטלפון [PHONE_1]'])
  })

  it('masks the known caller number even when spoken in pieces', () => {
    const { text } = maskTexts(['it is 4155 550 123'], ['+14155550123'])
    expect(text[0]).not.toMatch(/4155/)
  })

  it('checks digits the way the issuers do', () => {
    expect(luhnValid('4580 1234 5678 9015')).toBe(true)
    expect(luhnValid('4580 1234 5678 9016')).toBe(false)
    expect(israeliIdValid('123456782')).toBe(true)
    expect(israeliIdValid('123456789')).toBe(false)
    expect(ibanValid('IL62 0108 0000 0009 9999 999')).toBe(true)
    expect(ibanValid('IL63 0108 0000 0009 9999 999')).toBe(false)
  })
})

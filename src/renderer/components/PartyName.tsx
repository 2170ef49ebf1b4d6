import { useT, type Translate } from '../state/locale'

/**
 * A party as Twilio names it, in words for people: phone numbers as they are, `client:name` as the app
 * user's name, `sip:user@host` as the SIP address, and nothing at all (withheld, some SIP calls) as
 * "Unknown".
 */
export function partyText(value: string, t: Translate): string {
  if (value.trim() === '') return t('party.unknown')
  const client = /^client:(.+)$/i.exec(value)
  if (client) return t('party.appUser', { name: client[1] as string })
  return value.replace(/^sip:/i, '')
}

/** "answered by …" for a forwarded call, or undefined when nobody else answered. */
export function answeredByText(answeredBy: string | null, t: Translate): string | undefined {
  return answeredBy ? t('calls.answeredBy', { party: partyText(answeredBy, t) }) : undefined
}

/** A party, isolated left-to-right so a number keeps its order inside Hebrew text. */
export function PartyName({ value }: { value: string }) {
  const t = useT()
  const text = partyText(value, t)
  return value.trim() === '' ? <span className="party-unknown">{text}</span> : <bdi dir="ltr">{text}</bdi>
}

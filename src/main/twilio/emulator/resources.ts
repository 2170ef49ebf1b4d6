/** What the emulated Twilio account holds, and how it is written as Twilio's JSON. */

export type RecordingStatus =
  | 'in-progress'
  | 'paused'
  | 'stopped'
  | 'processing'
  | 'completed'
  | 'absent'
  | 'deleted'
export type CallStatus =
  | 'queued'
  | 'ringing'
  | 'in-progress'
  | 'completed'
  | 'busy'
  | 'failed'
  | 'no-answer'
  | 'canceled'

export interface EmulatedCall {
  sid: string
  /** Null or '' as Twilio sends for some SIP and withheld parties; `client:name` for app users. */
  from: string | null
  to: string | null
  direction: 'inbound' | 'outbound-api' | 'outbound-dial' | 'trunking-terminating' | 'trunking-originating'
  status: CallStatus
  startTime: Date
  durationSec: number
  parentCallSid?: string | null
  /** Fields written over Twilio's JSON as they are (to send values that do not parse). */
  overrides?: Record<string, unknown>
}

export interface EmulatedRecording {
  sid: string
  /** Null for a conference recording that names only its conference. */
  callSid: string | null
  conferenceSid?: string | null
  /** Fields written over Twilio's JSON as they are (to send values that do not parse). */
  overrides?: Record<string, unknown>
  dateCreated: Date
  durationSec: number
  channels: 1 | 2
  status: RecordingStatus
  errorCode?: number | null
  /** Until this time (ms) the recording reports `processing`, then `completed`. */
  processingUntil?: number
  /** The audio served for `.mp3`; `.wav` is served from `wav` when present. */
  mp3?: Buffer
  wav?: Buffer
  /** The mono mixdown served when two channels are not requested (defaults to `mp3`). */
  monoMp3?: Buffer
  source?: string
}

/** RFC 2822 as Twilio writes it: "Tue, 24 Nov 2026 15:30:00 +0000". */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000')
}

export function effectiveStatus(recording: EmulatedRecording, now: number): RecordingStatus {
  if (
    recording.status === 'completed' &&
    recording.processingUntil !== undefined &&
    now < recording.processingUntil
  ) {
    return 'processing'
  }
  return recording.status
}

export function recordingJson(accountSid: string, recording: EmulatedRecording, now: number) {
  const base = `/2010-04-01/Accounts/${accountSid}/Recordings/${recording.sid}`
  const status = effectiveStatus(recording, now)
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    call_sid: recording.callSid,
    conference_sid: recording.conferenceSid ?? null,
    date_created: rfc2822(recording.dateCreated),
    date_updated: rfc2822(recording.dateCreated),
    start_time: rfc2822(new Date(recording.dateCreated.getTime() - recording.durationSec * 1000)),
    duration: status === 'completed' ? String(recording.durationSec) : '-1',
    sid: recording.sid,
    price: status === 'completed' ? '-0.0025' : null,
    price_unit: 'USD',
    status,
    channels: recording.channels,
    source: recording.source ?? 'DialVerb',
    error_code: recording.errorCode ?? null,
    uri: `${base}.json`,
    encryption_details: null,
    subresource_uris: {
      add_on_results: `${base}/AddOnResults.json`,
      transcriptions: `${base}/Transcriptions.json`,
    },
    media_url: `https://api.twilio.com${base}`,
    ...recording.overrides,
  }
}

export function callJson(accountSid: string, call: EmulatedCall) {
  const base = `/2010-04-01/Accounts/${accountSid}/Calls/${call.sid}`
  const ended = !['queued', 'ringing', 'in-progress'].includes(call.status)
  return {
    sid: call.sid,
    date_created: rfc2822(call.startTime),
    date_updated: rfc2822(new Date(call.startTime.getTime() + call.durationSec * 1000)),
    parent_call_sid: call.parentCallSid ?? null,
    account_sid: accountSid,
    to: call.to,
    to_formatted: call.to,
    from: call.from,
    from_formatted: call.from,
    phone_number_sid: null,
    status: call.status,
    start_time: rfc2822(call.startTime),
    end_time: ended ? rfc2822(new Date(call.startTime.getTime() + call.durationSec * 1000)) : null,
    duration: ended ? String(call.durationSec) : null,
    price: ended ? '-0.0085' : null,
    price_unit: 'USD',
    direction: call.direction,
    answered_by: null,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${base}.json`,
    subresource_uris: {
      recordings: `${base}/Recordings.json`,
      notifications: `${base}/Notifications.json`,
    },
    ...call.overrides,
  }
}

/** Twilio's error body. */
export function errorJson(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }
}

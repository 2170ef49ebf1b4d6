/**
 * What main tells the user, as a code and its values: the renderer words it in the interface language
 * (`notice.<code>` in src/renderer/i18n). Main never sends a sentence. Stored notices (a recording's
 * reason, a job's last error, a transcript's notes) are kept as JSON; text an older version stored reads
 * back as an `unexpected` notice carrying it.
 */
export const NOTICE_CODES = [
  // Why a recording cannot be played.
  'recording.none',
  'recording.no-audio',
  'recording.deleted-before-download',
  'recording.deleted-at-twilio',
  'recording.twilio-failed',
  'recording.twilio-timeout',
  'recording.download-failed',
  'recording.audio-removed',
  // Downloads (recordings and models).
  'download.too-many-redirects',
  'download.unreachable',
  'download.restarting',
  'download.gone',
  'download.credentials-rejected',
  'download.slow-down',
  'download.http',
  'download.not-audio',
  'download.wrong-type',
  'download.disk-full',
  'download.no-body',
  'download.interrupted',
  'download.incomplete',
  'download.empty',
  'download.not-a-model',
  'download.model-damaged',
  // Audio that cannot be transcribed, and what is worth knowing about a transcript.
  'audio.empty',
  'audio.undecodable',
  'audio.wav-channels',
  'audio.wav-encoding',
  'audio.wav-rate',
  'audio.wav-format-short',
  'audio.wav-no-format',
  'audio.wav-no-data',
  'audio.too-long',
  'audio.english-only-model',
  'note.damaged-frames',
  'note.ends-early',
  'note.no-speech',
  // Transcription.
  'transcription.not-downloaded',
  'transcription.file-missing',
  'transcription.waiting-for-model',
  'transcription.stalled',
  'transcription.too-slow',
  'transcription.cancelled',
  'transcription.engine-failed',
  // Summaries.
  'summary.invalid-reply',
  'summary.timeout',
  'summary.unreachable',
  'summary.key-rejected',
  'summary.unknown-model',
  'summary.rate-limited',
  'summary.server-error',
  'summary.refused',
  'summary.bad-address',
  'summary.needs-key',
  'summary.no-transcript',
  'summary.sends-nothing',
  'summary.sends-openai',
  'summary.sends-this-computer',
  'summary.sends-server',
  // Twilio.
  'twilio.not-connected',
  'twilio.connected',
  'twilio.credentials-rejected',
  'twilio.slow-down',
  'twilio.not-found',
  'twilio.server-error',
  'twilio.unreachable',
  'twilio.invalid-record',
  'twilio.account-sid-format',
  'twilio.api-key-format',
  'twilio.api-secret-format',
  'twilio.auth-token-format',
  // Models.
  'model.hebrew-fine-tuned',
  'model.fastest',
  'model.english-only',
  'model.best-accuracy',
  'model.turbo-quantized',
  'model.not-in-catalogue',
  'model.not-installed',
  'model.no-file',
  'model.unreadable',
  'model.not-ggml',
  // Office mode.
  'office.forbidden',
  'office.signed-out',
  'office.code-invalid',
  'office.too-many-attempts',
  'office.unreachable',
  'office.not-a-server',
  'office.server-identity',
  'office.address-format',
  'office.not-connected',
  'office.import-on-server',
  // Everything else.
  'job.interrupted',
  'job.unreadable',
  'job.subject-gone',
  'demo.unavailable',
  'not-found.call',
  'not-found.recording',
  'not-found.job',
  'not-found.session',
  'connection-lost',
  'library.unavailable',
  'library.full',
  'unexpected',
] as const

export type NoticeCode = (typeof NOTICE_CODES)[number]
export type NoticeParams = Record<string, string | number>

export interface Notice {
  code: NoticeCode
  params?: NoticeParams
}

export function notice(code: NoticeCode, params?: NoticeParams): Notice {
  return params ? { code, params } : { code }
}

/** A notice for the log (codes and values, never shown to users). */
export function logText(value: Notice): string {
  return value.params ? `${value.code} ${JSON.stringify(value.params)}` : value.code
}

const CODES = new Set<string>(NOTICE_CODES)

export function encodeNotice(value: Notice): string {
  return JSON.stringify(value)
}

/** Reads a stored notice; anything else (text from an older version) becomes an `unexpected` one. */
export function decodeNotice(stored: string): Notice {
  if (stored.startsWith('{')) {
    try {
      const parsed = JSON.parse(stored) as Partial<Notice>
      if (typeof parsed.code === 'string' && CODES.has(parsed.code)) return parsed as Notice
    } catch {
      // not a notice: fall through
    }
  }
  return notice('unexpected', { detail: stored })
}

/** An error main may show: it carries its notice (the Error's message is only for logs). */
export class NoticeError extends Error {
  constructor(readonly notice: Notice) {
    super(logText(notice))
    this.name = 'NoticeError'
  }
}

/** The notice an error carries, or an `unexpected` one with its message as the technical detail. */
export function noticeOf(error: unknown): Notice {
  if (error instanceof NoticeError) return error.notice
  return notice('unexpected', { detail: error instanceof Error ? error.message : String(error) })
}

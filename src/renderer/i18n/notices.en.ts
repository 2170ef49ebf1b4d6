import type { NoticeCode } from '../../shared/notice'

/**
 * What main's notices say, in English (src/shared/notice.ts). `{name}` is a value from the notice;
 * `{errorCode}` is Twilio's error number in brackets when there is one; `{what}` is a recording or a model.
 */
export const noticesEn: Record<NoticeCode, string> = {
  'recording.none': 'No recording was made for this call.',
  'recording.no-audio': 'Twilio holds no audio for this recording{errorCode}.',
  'recording.deleted-before-download': 'The recording was deleted from Twilio before it was downloaded.',
  'recording.deleted-at-twilio': 'The recording was deleted at Twilio.',
  'recording.twilio-failed': 'Twilio could not produce the recording{errorCode}.',
  'recording.twilio-timeout': 'Twilio did not finish processing this recording within a day.',
  'recording.download-failed': 'The download failed.',
  'recording.audio-removed':
    'The audio was removed {days} days after the call (retention setting); the transcript and summary are kept.',

  'download.too-many-redirects': 'Too many redirects while downloading.',
  'download.unreachable': 'Could not reach the server to download ({detail}).',
  'download.restarting': 'The partial download no longer matches the server’s file; starting over.',
  'download.gone': 'Twilio no longer has this recording.',
  'download.credentials-rejected':
    'Twilio rejected the credentials when downloading. Check the account in Settings; the download retries by itself once they change.',
  'download.slow-down': 'Twilio asked us to slow down; trying again later.',
  'download.http': 'The server answered HTTP {status}.',
  'download.not-audio': 'Twilio sent a file that is not {format} audio.',
  'download.wrong-type': 'The server sent “{type}” instead of audio.',
  'download.disk-full':
    'Not enough disk space to save the {what}. Free some space; the download resumes where it stopped.',
  'download.no-body': 'The server sent no {what}.',
  'download.interrupted': 'The download was interrupted after {bytes} bytes; it will resume.',
  'download.incomplete': 'The saved {what} has {bytes} of {total} bytes; the download will resume.',
  'download.empty': 'The server sent an empty {what}.',
  'download.not-a-model': 'The downloaded file is not a whisper.cpp model.',
  'download.model-damaged':
    'The downloaded model is damaged (SHA-1 {sha1}…, expected {expected}…); downloading again.',

  'audio.empty': 'The recording file is empty (0 bytes).',
  'audio.undecodable': 'The file is not valid {format} audio: no usable sound could be decoded.',
  'audio.wav-channels': 'The WAV header is damaged: it says the audio has {channels} channels.',
  'audio.wav-encoding': 'Unsupported WAV encoding (format {format}, {bits} bits).',
  'audio.wav-rate': 'The WAV header is damaged: it says {rate} samples per second.',
  'audio.wav-format-short': 'The WAV header is damaged: its format chunk is cut short.',
  'audio.wav-no-format': 'The WAV file has no format chunk before its audio.',
  'audio.wav-no-data': 'The WAV file has no audio data.',
  'audio.too-long':
    'The recording is {hours} hours long; recordings over {maxHours} hours are not transcribed.',
  'audio.english-only-model':
    'The model {model} understands English only; choose a multilingual model for calls in this language.',
  'note.damaged-frames': '{count} damaged audio frames were skipped.',
  'note.ends-early':
    'The recording ends after {seconds} s of {expectedSeconds} s; the rest of the file is missing.',
  'note.no-speech': 'No speech was detected in this recording.',

  'transcription.not-downloaded': 'The recording has not been downloaded.',
  'transcription.file-missing': 'The recording file is missing from disk.',
  'transcription.waiting-for-model': 'Waiting for a Whisper model: pick or download one in Settings.',
  'transcription.stalled': 'Transcription made no progress for {minutes} min and was stopped.',
  'transcription.too-slow': 'Transcription took longer than {minutes} min and was stopped.',
  'transcription.cancelled': 'Transcription was cancelled.',
  'transcription.engine-failed': 'The transcription engine failed ({detail}).',

  'summary.invalid-reply': 'The model did not return a valid summary, even when asked to fix it ({detail}).',
  'summary.timeout': 'The summary server ({server}) did not answer in time.',
  'summary.unreachable': 'Could not reach the summary server ({server}).',
  'summary.key-rejected': 'The summary server ({server}) rejected the API key.',
  'summary.unknown-model': 'The summary server ({server}) does not know the model “{model}”.',
  'summary.rate-limited': 'The summary server ({server}) is rate-limiting requests; trying again later.',
  'summary.server-error': 'The summary server ({server}) had an error (HTTP {status}).',
  'summary.refused': 'The summary server ({server}) refused the request (HTTP {status}).',
  'summary.bad-address': '“{address}” is not a server address (for example http://127.0.0.1:11434/v1).',
  'summary.needs-key': 'OpenAI needs an API key: paste it in the API key field, then save.',
  'summary.no-transcript': 'This call has no transcript to summarize yet.',
  'summary.sends-nothing': 'Nothing leaves this computer: summaries are made locally from the transcript.',
  'summary.sends-openai':
    'For each call, the transcript (phone numbers, e-mail addresses, card numbers, ID numbers and IBANs replaced by placeholders) is sent to OpenAI (api.openai.com) with your API key, to the model {model}.',
  'summary.sends-this-computer':
    'For each call, the transcript (phone numbers, e-mail addresses, card numbers, ID numbers and IBANs replaced by placeholders) is sent to the server on this computer at {server} (model {model}). Nothing leaves the computer.',
  'summary.sends-server':
    'For each call, the transcript (phone numbers, e-mail addresses, card numbers, ID numbers and IBANs replaced by placeholders) is sent to {server} (model {model}).',

  'twilio.not-connected': 'Twilio is not connected: add the account in Settings.',
  'twilio.connected': 'Connected: Twilio accepted the credentials and the recordings can be read.',
  'twilio.credentials-rejected':
    'Twilio rejected the credentials{errorCode}. Check the Account SID and the API key or auth token.',
  'twilio.slow-down': 'Twilio asked us to slow down{errorCode}.',
  'twilio.not-found': 'Twilio has no such resource{errorCode}.',
  'twilio.server-error': 'Twilio answered HTTP {status}{errorCode}. {detail}',
  'twilio.unreachable': 'Could not reach Twilio ({detail}). Check the internet connection.',
  'twilio.invalid-record': 'Twilio sent a record that cannot be read ({detail}).',
  'twilio.account-sid-format':
    'The Account SID must start with “AC” followed by 32 hexadecimal characters (Twilio Console → Account info).',
  'twilio.api-key-format': 'The API key SID must start with “SK” followed by 32 hexadecimal characters.',
  'twilio.api-secret-format':
    'The API key secret looks too short; paste the whole secret shown when the key was created.',
  'twilio.auth-token-format': 'The auth token must be 32 hexadecimal characters.',

  'model.hebrew-fine-tuned': 'Fine-tuned by ivrit.ai on Hebrew speech: the best choice for Hebrew calls.',
  'model.fastest': 'Fastest; rough on accents and noisy lines.',
  'model.english-only': 'English only.',
  'model.best-accuracy': 'Best accuracy for the time it takes.',
  'model.turbo-quantized': 'Large-v3-turbo, quantized: a third of the size, nearly the same accuracy.',
  'model.not-in-catalogue': 'There is no model “{id}” in the catalogue.',
  'model.not-installed': 'That model is not installed.',
  'model.no-file': 'There is no file at {path}.',
  'model.unreadable': 'Could not read {path} ({code}).',
  'model.not-ggml':
    'That file is not a whisper.cpp (ggml) model. Models end in .bin and come from the whisper.cpp project.',

  'office.forbidden': 'Only an administrator of the office can do that.',
  'office.signed-out':
    'The office server no longer accepts this computer (its sign-in was revoked). Ask your administrator for a new pairing code.',
  'office.code-invalid':
    'That pairing code is not valid: it may be mistyped, already used or expired (codes last {minutes} minutes).',
  'office.too-many-attempts': 'Too many wrong pairing codes; wait a minute and try again.',
  'office.unreachable': 'Cannot reach the office server at {address} ({detail}).',
  'office.not-a-server': 'This computer is not an office server.',
  'office.server-identity':
    'The server at {address} is not the one this computer paired with (its certificate changed). Ask your administrator before connecting again.',
  'office.address-format': 'Enter the server’s address, for example https://office-pc:4433.',
  'office.import-on-server':
    'A model file is imported on the office server itself: copy it there and run “callscribe-server import-model” (see the set-up guide). Downloads from the list work from here.',
  'office.not-connected': 'Not connected to the office server; trying again…',

  'job.interrupted': 'Interrupted {times} times; giving up.',
  'job.unreadable': 'The job’s stored details cannot be read ({detail}).',
  'job.subject-gone': 'The recording is no longer in the library.',
  'demo.unavailable': 'The sample calls are not part of this installation.',
  'not-found.call': 'That call is not in the library.',
  'not-found.recording': 'That recording is not in the library.',
  'not-found.job': 'That task is no longer in the list.',
  'not-found.session': 'That sign-in is no longer there.',
  'connection-lost': 'The connection to CallScribe was lost; try again when it is back.',
  'library.unavailable':
    'The call library cannot be reached right now. Nothing was changed; try again in a moment.',
  'library.full': 'The disk is full, so nothing was changed. Free some space and try again.',
  unexpected: 'Something went wrong ({detail}).',
}

import type { Transcript, TranscriptSegment } from './types'

export type ExportFormat = 'txt' | 'srt' | 'vtt' | 'json'

const RTL = /[\u0590-\u05FF\u0600-\u06FF]/
// Right-to-left embedding … pop directional formatting: keeps Hebrew lines (with numbers and Latin
// words inside) in order in players and editors that do not apply the bidi algorithm per line.
const rtl = (text: string) => (RTL.test(text) ? `\u202B${text}\u202C` : text)

function clock(ms: number, separator: ',' | '.'): string {
  const hours = Math.floor(ms / 3_600_000)
  const minutes = Math.floor((ms % 3_600_000) / 60_000)
  const seconds = Math.floor((ms % 60_000) / 1000)
  const millis = Math.floor(ms % 1000)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(hours)}:${two(minutes)}:${two(seconds)}${separator}${String(millis).padStart(3, '0')}`
}

function short(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

/** The transcript as a file a person or a subtitle player can use. */
export function exportTranscript(
  transcript: Transcript,
  format: ExportFormat,
  label: (segment: TranscriptSegment) => string,
): string {
  const line = (segment: TranscriptSegment) => {
    const who = label(segment)
    return who ? `${who}: ${segment.text}` : segment.text
  }
  switch (format) {
    case 'txt':
      return (
        transcript.segments.map((segment) => rtl(`[${short(segment.startMs)}] ${line(segment)}`)).join('\n') +
        '\n'
      )
    case 'srt':
      return transcript.segments
        .map(
          (segment, i) =>
            `${i + 1}\n${clock(segment.startMs, ',')} --> ${clock(Math.max(segment.endMs, segment.startMs + 500), ',')}\n${rtl(line(segment))}\n`,
        )
        .join('\n')
    case 'vtt':
      return (
        'WEBVTT\n\n' +
        transcript.segments
          .map((segment) => {
            const who = label(segment)
            const voice = who ? `<v ${who.replace(/[<>]/g, '')}>` : ''
            return `${clock(segment.startMs, '.')} --> ${clock(Math.max(segment.endMs, segment.startMs + 500), '.')}\n${voice}${segment.text}\n`
          })
          .join('\n')
      )
    case 'json':
      return JSON.stringify(
        {
          language: transcript.language,
          model: transcript.model,
          notes: transcript.notes,
          segments: transcript.segments.map((s) => ({ ...s, speakerLabel: label(s) || null })),
        },
        null,
        2,
      )
  }
}

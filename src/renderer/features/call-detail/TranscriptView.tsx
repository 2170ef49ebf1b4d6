import type { AvailabilityState, Transcript } from '../../../shared/types'
import { SeekButton } from '../../components/SeekButton'
import { useNoticeText, useT } from '../../state/locale'
import { usePlayer } from '../../state/player'

/** Segments with who spoke and when; the one being played is highlighted, a click plays from there. */
export function TranscriptView({
  transcript,
  recording,
  speakerLabel,
}: {
  transcript: Transcript | null
  /** The recording's state: a call with no recording (or one that failed) will get no transcript. */
  recording: AvailabilityState | null
  speakerLabel: (role: string | null) => string
}) {
  const t = useT()
  const say = useNoticeText()
  const currentMs = usePlayer((state) => state.currentMs)
  if (!transcript) {
    const why =
      recording === null || recording === 'missing'
        ? 'detail.noTranscriptNoRecording'
        : recording === 'failed'
          ? 'detail.noTranscriptFailed'
          : 'detail.noTranscript'
    return <p className="empty">{t(why)}</p>
  }
  const current = transcript.segments.findLast(
    (segment) => segment.startMs <= currentMs && currentMs < Math.max(segment.endMs, segment.startMs + 500),
  )
  return (
    <>
      {transcript.notes.map((note) => (
        <p key={note.code} className="note" role="note">
          {say(note)}
        </p>
      ))}
      <ol className="segments">
        {transcript.segments.map((segment) => {
          const classes = [
            segment.flags.length ? 'flagged' : '',
            segment === current ? 'current' : '',
            segment.speaker ?? '',
          ]
            .filter(Boolean)
            .join(' ')
          return (
            <li
              key={segment.index}
              id={`segment-${segment.index}`}
              className={classes}
              aria-current={segment === current ? 'true' : undefined}
            >
              <SeekButton ms={segment.startMs} className="time" label="transcript.playFrom" />
              <span className="speaker" dir="auto">
                {speakerLabel(segment.speaker)}
              </span>
              <span
                className="text"
                dir="auto"
                title={segment.flags.map((flag) => t(`transcript.flag.${flag}`)).join(', ') || undefined}
              >
                {segment.text}
              </span>
            </li>
          )
        })}
      </ol>
    </>
  )
}

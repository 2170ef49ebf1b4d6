import { useState } from 'react'
import type { Transcript, TranscriptSegment } from '../../../shared/types'
import { exportTranscript, type ExportFormat } from '../../../shared/transcript-export'
import { useT } from '../../state/locale'

const TYPES: Record<ExportFormat, string> = {
  txt: 'text/plain',
  srt: 'application/x-subrip',
  vtt: 'text/vtt',
  json: 'application/json',
}

/** Saves the transcript as TXT, SRT, VTT or JSON, or copies it as text. */
export function ExportMenu({
  transcript,
  label,
  fileName,
}: {
  transcript: Transcript
  label: (s: TranscriptSegment) => string
  fileName: string
}) {
  const t = useT()
  const [copied, setCopied] = useState(false)
  const save = (format: ExportFormat) => {
    const blob = new Blob([exportTranscript(transcript, format, label)], {
      type: `${TYPES[format]};charset=utf-8`,
    })
    const link = document.createElement('a')
    link.href = URL.createObjectURL(blob)
    link.download = `${fileName}.${format}`
    link.click()
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
  }
  const copy = async () => {
    await navigator.clipboard.writeText(exportTranscript(transcript, 'txt', label))
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }
  return (
    <div className="export" role="group" aria-label={t('export.label')}>
      {(['txt', 'srt', 'vtt', 'json'] as const).map((format) => (
        <button key={format} type="button" onClick={() => save(format)}>
          {format.toUpperCase()}
        </button>
      ))}
      <button type="button" onClick={() => void copy()}>
        {copied ? t('export.copied') : t('export.copy')}
      </button>
    </div>
  )
}

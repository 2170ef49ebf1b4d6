import { describe, expect, it } from 'vitest'
import { exportTranscript } from '../../src/shared/transcript-export'
import type { Transcript } from '../../src/shared/types'

const transcript: Transcript = {
  language: 'he',
  model: 'test',
  createdAt: 0,
  notes: [],
  segments: [
    {
      index: 0,
      startMs: 0,
      endMs: 6150,
      channel: 1,
      speaker: 'staff',
      text: 'שלום, מדברת נועה.',
      confidence: 0.9,
      flags: [],
    },
    {
      index: 1,
      startMs: 6750,
      endMs: 13550,
      channel: 0,
      speaker: 'caller',
      text: 'Hi, it is Yossi, order 42',
      confidence: 0.9,
      flags: [],
    },
    {
      index: 2,
      startMs: 3_725_400,
      endMs: 3_725_400,
      channel: 0,
      speaker: 'caller',
      text: 'יש לי תור ביום שלישי בעשר',
      confidence: 0.9,
      flags: [],
    },
  ],
}
const label = (s: { speaker: string | null }) => (s.speaker === 'caller' ? '+972501234567' : 'Noa')

describe('transcript export', () => {
  it('writes SRT with numbered cues, comma milliseconds, hours, and bidi marks on Hebrew lines only', () => {
    const srt = exportTranscript(transcript, 'srt', label)
    expect(srt.split('\n').slice(0, 3)).toEqual([
      '1',
      '00:00:00,000 --> 00:00:06,150',
      '\u202BNoa: שלום, מדברת נועה.\u202C',
    ])
    expect(srt).toContain('2\n00:00:06,750 --> 00:00:13,550\n+972501234567: Hi, it is Yossi, order 42\n')
    expect(srt).toContain('3\n01:02:05,400 --> 01:02:05,900\n') // a zero-length segment still lasts half a second
  })

  it('writes WebVTT with voices, TXT with times, and JSON with the labels', () => {
    const vtt = exportTranscript(transcript, 'vtt', label)
    expect(vtt.startsWith('WEBVTT\n\n00:00:00.000 --> 00:00:06.150\n<v Noa>שלום, מדברת נועה.\n')).toBe(true)
    expect(exportTranscript(transcript, 'txt', label).split('\n')[1]).toBe(
      '[0:06] +972501234567: Hi, it is Yossi, order 42',
    )
    const json = JSON.parse(exportTranscript(transcript, 'json', label)) as {
      segments: { speakerLabel: string }[]
      language: string
    }
    expect(json.language).toBe('he')
    expect(json.segments.map((s) => s.speakerLabel)).toEqual(['Noa', '+972501234567', '+972501234567'])
  })
})

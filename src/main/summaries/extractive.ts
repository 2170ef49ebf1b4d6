import { words } from '../store/search-text'
import type { LlmSummary } from './schema'
import type { PromptSegment } from './prompt'
import type { SummarizeInput, SummaryProvider } from './provider'

const STOPWORDS = new Set(
  (
    'a an the and or but if so to of in on at for with from by is are was were be been am i you he she it we they me my your our their this that these those ' +
    'do does did have has had not no yes ok okay hi hello thanks thank please can could would will just um uh oh there here what how when where who which ' +
    'את של על עם זה זו זאת אני אתה את הוא היא אנחנו הם הן לא כן גם אבל או אם כי מה איך מתי איפה מי יש אין היה הייתה שלום תודה בבקשה רק עוד כל'
  ).split(/\s+/),
)

// Words that promise or ask for something to be done, in English and Hebrew.
const FOLLOW_UP =
  /\b(call (me|you|him|her) back|get back to|will send|i'll send|we'll send|send (me|you)|follow up|remind|schedule|reschedule|appointment|book|will come|we can send|please (ask|call|send|let)|let me know|ask (him|her) to)\b|לחזור|תחזרו|אחזור|נחזור|אשלח|נשלח|תשלחו|לשלוח|לקבוע|נקבע|לדחות|תזכורת|נתאם|לתאם|יגיע|נשלח טכנאי/i
const WHEN =
  /\b(today|tonight|tomorrow( morning| afternoon| evening)?|this (morning|afternoon|evening|week)|next (week|month|monday|tuesday|wednesday|thursday|friday)|on (monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(monday|tuesday|wednesday|thursday|friday|saturday|sunday)|at (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}(:\d{2})?)( ?(am|pm|o'clock))?)\b|היום|מחרתיים|מחר|השבוע|בשבוע הבא|ביום (ראשון|שני|שלישי|רביעי|חמישי|שישי)|ב(אחת|שתיים|שלוש|ארבע|חמש|שש|שבע|שמונה|תשע|עשר)( אחר הצהריים| בבוקר| בערב)?/i
const NUMBERS =
  /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b|אחת|שתיים|שלוש|ארבע|חמש|עשר|מאה|שקל/i

function contentWords(text: string): string[] {
  return words(text.toLowerCase()).filter((word) => word.length > 2 && !STOPWORDS.has(word))
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`
}

/**
 * A summary computed on this computer, with no language model: the most informative lines (by how many
 * of the call's recurring words they carry, and whether they hold numbers, times or promises), the
 * promises as action items with their owner and time, and the recurring words as topics. Every point
 * cites the line it comes from. Labelled "extractive" wherever it is shown.
 */
export function extractiveSummary(input: SummarizeInput): LlmSummary {
  const segments = input.segments.filter((s) => s.text.trim().length > 0)
  if (segments.length === 0) {
    return {
      summary: input.language === 'he' ? 'לא נשמע דיבור בשיחה.' : 'No speech was heard in this call.',
      intent: null,
      sentiment: null,
      followUp: false,
      topics: [],
      actionItems: [],
      keyPoints: [],
    }
  }
  const frequency = new Map<string, number>()
  for (const segment of segments)
    for (const word of new Set(contentWords(segment.text)))
      frequency.set(word, (frequency.get(word) ?? 0) + 1)
  const score = (segment: PromptSegment) => {
    const found = contentWords(segment.text)
    const weight =
      found.reduce((sum, word) => sum + (frequency.get(word) ?? 0), 0) / Math.sqrt(found.length + 1)
    return (
      weight +
      (NUMBERS.test(segment.text) ? 1.5 : 0) +
      (WHEN.test(segment.text) ? 1.5 : 0) +
      (FOLLOW_UP.test(segment.text) ? 2 : 0)
    )
  }
  const ranked = [...segments].sort((a, b) => score(b) - score(a))
  const keyLines = ranked.slice(0, Math.min(4, segments.length)).sort((a, b) => a.index - b.index)
  const actionItems = segments
    .filter((segment) => FOLLOW_UP.test(segment.text))
    .slice(0, 8)
    .map((segment) => ({
      text: clip(segment.text, 300),
      owner: segment.speaker,
      due: WHEN.exec(segment.text)?.[0] ?? null,
      segments: [segment.index],
    }))
  const intentLine =
    segments.find((segment) => segment.speaker === 'caller' && contentWords(segment.text).length >= 3) ??
    segments[0]
  const topics = [...frequency.entries()]
    .filter(([, count]) => count >= 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([word]) => word)
  return {
    summary: clip(
      keyLines
        .slice(0, 3)
        .map((s) => s.text)
        .join(' '),
      600,
    ),
    intent: intentLine ? clip(intentLine.text, 240) : null,
    sentiment: null,
    followUp: actionItems.length > 0,
    topics,
    actionItems,
    keyPoints: keyLines.map((segment) => ({ text: clip(segment.text, 300), segments: [segment.index] })),
  }
}

export class ExtractiveProvider implements SummaryProvider {
  readonly id = 'extractive' as const
  readonly model = 'local'
  readonly remote = false

  async summarize(input: SummarizeInput): Promise<LlmSummary> {
    return extractiveSummary(input)
  }
}

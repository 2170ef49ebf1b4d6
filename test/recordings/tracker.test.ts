import { describe, expect, it } from 'vitest'
import type { RecordingAvailability } from '../../src/shared/types'
import { EventBus } from '../../src/main/events'
import type { JobQueue } from '../../src/main/jobs/queue'
import { RecordingTracker } from '../../src/main/recordings/tracker'
import type { Library } from '../../src/main/store/library'
import type { RecordingRow } from '../../src/main/store/recordings'

/** A library whose reads answer when the test says, as pooled connections' answers overtake each other. */
function slowLibrary() {
  let stored: Partial<RecordingRow> = {
    sid: 'RE1',
    call_sid: 'CA1',
    availability: 'preparing',
    twilio_status: 'completed',
  }
  const reads: { answer: () => void }[] = []
  const library = {
    recordings: {
      get: () =>
        new Promise<RecordingRow>((resolve) => {
          // The row as it was when the database ran the read; the answer may come back much later.
          const snapshot = { ...stored } as RecordingRow
          reads.push({ answer: () => resolve(snapshot) })
        }),
    },
  } as unknown as Library
  return { library, reads, set: (row: Partial<RecordingRow>) => (stored = { ...stored, ...row }) }
}

describe('the recording tracker', () => {
  it('announces one recording’s changes in order, each with the state of its turn', async () => {
    const { library, reads, set } = slowLibrary()
    const queue = { find: async () => null } as unknown as JobQueue
    const events = new EventBus((payload) => payload)
    const seen: RecordingAvailability['state'][] = []
    events.subscribe((name, payload) => {
      if (name === 'recording.changed')
        seen.push((payload as { availability: RecordingAvailability }).availability.state)
    })
    const tracker = new RecordingTracker(library, queue, events)
    const progress = tracker.announce('RE1') // download progress, asked first
    set({ availability: 'ready', local_file: 'RE1.mp3' })
    const ready = tracker.announce('RE1') // the download finished
    // The database answers whatever read it has, newest first: the later one must still be told last.
    while (seen.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 1))
      reads.pop()?.answer()
    }
    await Promise.all([progress, ready])
    expect(seen.at(-1)).toBe('ready')
  })
})

import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { RecordingAvailability } from '../../src/shared/types'
import { EventBus } from '../../src/main/events'
import { JobQueue } from '../../src/main/jobs/queue'
import { RecordingTracker } from '../../src/main/recordings/tracker'
import type { Library } from '../../src/main/store/library'
import type { RecordingRow } from '../../src/main/store/recordings'
import { SqliteLibrary } from '../../src/main/store/sqlite-library'
import { seedCall } from '../helpers/seed'
import { tempDir } from '../helpers/temp'

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
    detached: <T>(start: () => T) => start(),
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

/** An event bus, and the states of every recording.changed it carries, in order. */
function announcedStates() {
  const events = new EventBus((payload) => payload)
  const seen: RecordingAvailability['state'][] = []
  events.subscribe((name, payload) => {
    if (name === 'recording.changed')
      seen.push((payload as { availability: RecordingAvailability }).availability.state)
  })
  return { events, seen }
}

describe('the recording tracker', () => {
  it('announces one recording’s changes in order, each with the state of its turn', async () => {
    const { library, reads, set } = slowLibrary()
    const queue = { find: async () => null } as unknown as JobQueue
    const { events, seen } = announcedStates()
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

  it('a change made inside a transaction, while an earlier announcement waits for it, does not wait for that announcement', async () => {
    const library = SqliteLibrary.open(join(tempDir(), 'callscribe.db'))
    try {
      const { recordingSid } = seedCall(library.store, 'announced')
      const queue = new JobQueue(library)
      const { events, seen } = announcedStates()
      const tracker = new RecordingTracker(library, queue, events)
      // A sync page (a transaction) marks the recording failed, while a download's progress announcement —
      // started outside it — is waiting for that transaction to end.
      await library.transaction(async () => {
        void library.detached(() => tracker.announce(recordingSid!))
        await tracker.transition(recordingSid!, { availability: 'failed', reason: null })
      })
      await vi.waitFor(() => expect(seen.at(-1)).toBe('failed'))
    } finally {
      await library.close()
    }
  })
})

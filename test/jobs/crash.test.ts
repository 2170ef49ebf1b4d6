import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store'
import { JobQueue } from '../../src/main/jobs/queue'
import { makeRecordingReady, seedCall, sid } from '../helpers/seed'
import { createTestServices, storeOf } from '../helpers/services'
import { audioFixture } from '../helpers/fixtures'
import { syntheticModel } from '../helpers/models'
import { tempDir } from '../helpers/temp'
import { SqliteLibrary } from '../../src/main/store/sqlite-library'

const CHILD = fileURLToPath(new URL('../helpers/crash-child.ts', import.meta.url))
const TRANSCRIBE_CHILD = fileURLToPath(new URL('../helpers/transcribe-child.ts', import.meta.url))

function startChild(
  args: string[],
  script = CHILD,
): {
  child: ChildProcess
  lines: string[]
  waitFor(pattern: RegExp): Promise<string>
  exited: Promise<number | null>
} {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = []
  let buffer = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const parts = buffer.split('\n')
    buffer = parts.pop() ?? ''
    for (const line of parts) {
      lines.push(line)
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {
    child,
    lines,
    exited,
    waitFor: (pattern) => {
      const seen = lines.find((line) => pattern.test(line))
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve })
        void exited.then((code) =>
          reject(
            new Error(`child exited (${code}) before printing ${pattern}; it printed: ${lines.join(' | ')}`),
          ),
        )
      })
    },
  }
}

async function kill(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  child.kill('SIGKILL')
  await exited
}

describe('crash safety (a real child process is SIGKILLed)', () => {
  it('killed in the middle of writing, the library keeps every committed batch and no partial one', async () => {
    const file = join(tempDir(), 'crash-write.db')
    const run = startChild(['write', file])
    await run.waitFor(/^batch 30$/)
    await kill(run.child, run.exited)

    const store = Store.open(file)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    const calls = store.db.prepare('SELECT count(*) FROM calls').pluck().get() as number
    const recordings = store.db.prepare('SELECT count(*) FROM recordings').pluck().get() as number
    const lastReported = Number(
      run.lines
        .filter((l) => l.startsWith('batch'))
        .at(-1)
        ?.split(' ')[1],
    )
    expect(calls % 100).toBe(0) // whole transactions only
    expect(calls).toBeGreaterThanOrEqual((lastReported + 1) * 100) // nothing reported as written was lost
    expect(recordings).toBe(calls)
    // The same rows written again (a sync that resumes and overlaps) add nothing.
    const before = calls
    store.transaction(() => {
      for (let i = 0; i < before; i++) {
        const callSid = sid('CA', i)
        const row = store.calls.getCall(callSid)
        expect(row).toBeDefined()
        store.calls.upsertCall({
          sid: callSid,
          from: row!.from_number,
          to: row!.to_number,
          direction: row!.direction,
          status: 'completed',
          startTime: row!.start_time,
          durationSec: 75,
        })
      }
    })
    expect(store.db.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(before)
    expect(store.search.query('+972501234567', 100).length).toBeGreaterThan(0)
    store.close()
  })

  it('killed in the middle of a job, the job resumes after restart and its result is stored exactly once', async () => {
    const file = join(tempDir(), 'crash-job.db')
    const first = startChild(['job', file, '60000'])
    await first.waitFor(/^working attempt 1$/)
    await kill(first.child, first.exited)

    let store = Store.open(file)
    const queue = new JobQueue(new SqliteLibrary(store))
    expect((await queue.find('recording-transcription', sid('RE', 'crash')))?.state).toBe('running') // as the crash left it
    expect(store.db.prepare('SELECT count(*) FROM transcripts').pluck().get()).toBe(0)
    store.close()

    const second = startChild(['job', file, '200'])
    await second.waitFor(/^working attempt 2$/)
    await second.waitFor(/^done$/)
    expect(await second.exited).toBe(0)

    // A third start finds nothing left to do.
    const third = startChild(['job', file, '200'])
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await kill(third.child, third.exited)
    expect(third.lines.some((line) => line.startsWith('working'))).toBe(false)

    store = Store.open(file)
    expect(
      await new JobQueue(new SqliteLibrary(store)).find('recording-transcription', sid('RE', 'crash')),
    ).toMatchObject({
      state: 'done',
      attempts: 2,
    })
    expect(store.db.prepare('SELECT count(*) FROM transcripts').pluck().get()).toBe(1)
    expect(store.db.prepare('SELECT count(*) FROM segments').pluck().get()).toBe(400)
    expect(store.search.query('crash', 1000).length).toBe(1)
    store.close()
  })

  it('killed in the middle of a transcription, it transcribes again after restart and stores one transcript', async () => {
    const dataDir = tempDir()
    const prepared = createTestServices(dataDir).services
    const { recordingSid } = seedCall(storeOf(prepared), 'transcribe-crash', { recording: { channels: 2 } })
    makeRecordingReady(
      storeOf(prepared),
      prepared.paths.recordings,
      recordingSid!,
      audioFixture('plumbing-en-dual.mp3'),
    )
    await prepared.models.import(syntheticModel())
    await prepared.models.updateSettings({ quality: 'fast' }) // random weights: fallback would only repeat work
    await prepared.queue.enqueue('recording-transcription', recordingSid!)
    await prepared.close()

    const first = startChild([dataDir], TRANSCRIBE_CHILD)
    await first.waitFor(/^progress$/)
    await kill(first.child, first.exited)
    const second = startChild([dataDir], TRANSCRIBE_CHILD)
    await second.waitFor(/^done$/)
    expect(await second.exited).toBe(0)

    const store = Store.open(join(dataDir, 'callscribe.db'))
    expect(
      await new JobQueue(new SqliteLibrary(store)).find('recording-transcription', recordingSid!),
    ).toMatchObject({
      state: 'done',
      attempts: 2,
    })
    expect(store.db.prepare('SELECT count(*) FROM transcripts').pluck().get()).toBe(1)
    // Random weights time nothing, so which speaker each segment lands on is the transcriber test's job.
    expect(store.db.prepare(`SELECT count(*) FROM segments`).pluck().get()).toBeGreaterThan(0)
    expect(
      store.db
        .prepare(`SELECT count(*) FROM segments WHERE speaker IS NULL OR speaker NOT IN ('caller', 'staff')`)
        .pluck()
        .get(),
    ).toBe(0)
    store.close()
  }, 240_000)
})

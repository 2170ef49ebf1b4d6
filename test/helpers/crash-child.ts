/**
 * A child process for the crash tests: it does real work against a real database file and reports
 * progress on stdout, so the parent can SIGKILL it at a chosen moment.
 *   write FILE      upsert calls in 100-row transactions forever (like a sync writing pages)
 *   job FILE        run the transcribe job for one recording; the handler reports "working" and then
 *                   takes its time, writing a 400-segment transcript when it finishes
 */
import { Store } from '../../src/main/store'
import { JobQueue } from '../../src/main/jobs/queue'
import { JobRunner } from '../../src/main/jobs/runner'
import { seedCall, sid, transcriptOf } from './seed'
import { SqliteLibrary } from '../../src/main/store/sqlite-library'

const [mode, file, slowMs = '60000'] = process.argv.slice(2)
const store = Store.open(file as string)

if (mode === 'write') {
  for (let batch = 0; ; batch++) {
    store.transaction(() => {
      for (let i = 0; i < 100; i++)
        seedCall(store, batch * 100 + i, { startTime: Date.UTC(2026, 0, 1) + (batch * 100 + i) * 1000 })
    })
    process.stdout.write(`batch ${batch}\n`)
  }
}

if (mode === 'job') {
  const queue = new JobQueue(new SqliteLibrary(store), { leaseMs: 500 })
  const recordingSid = sid('RE', 'crash')
  if (!store.recordings.get(recordingSid)) seedCall(store, 'crash')
  await queue.enqueue('recording-transcription', recordingSid)
  const runner = new JobRunner(
    queue,
    {
      'recording-transcription': async (job, { progress }) => {
        process.stdout.write(`working attempt ${job.attempts}\n`)
        for (let step = 1; step <= 10; step++) {
          await new Promise((resolve) => setTimeout(resolve, Number(slowMs) / 10))
          progress(step / 10)
        }
        const lines = Array.from({ length: 400 }, (_, i) => `segment ${i} of the crash-test call`)
        return async () => void store.transcripts.save(job.subject, transcriptOf(lines))
      },
    },
    { idleCheckMs: 100, heartbeatMs: 100 },
  )
  queue.subscribe((event) => {
    if (event.type === 'changed' && event.job.state === 'done') {
      process.stdout.write('done\n')
      void runner.stop().then(() => {
        store.close()
        process.exit(0)
      })
    }
  })
  runner.start()
  // The runner's timers don't hold the process open (the app's event loop does); here, this does.
  setInterval(() => undefined, 1000)
}

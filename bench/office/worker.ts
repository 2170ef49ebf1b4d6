/**
 * One server process of the office bench, on the office's PostgreSQL library: its queue and runner take
 * transcription jobs until killed. Each job either waits (`wait:MS`, the queue's own cost) or transcribes a
 * call with whisper.cpp's CLI on one thread (`whisper:MODEL:WAV`, CPU-bound like the app's transcription).
 *   node --import tsx bench/office/worker.ts URL WORK
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { JobQueue } from '../../src/main/jobs/queue'
import { JobRunner } from '../../src/main/jobs/runner'
import { PgLibrary } from '../../src/main/store/postgres'
import { openOfficePool } from '../../src/main/store/postgres/connection'
import { WHISPER_CLI } from '../../test/helpers/models'

const run = promisify(execFile)
const [url = '', work = ''] = process.argv.slice(2)
const library = await PgLibrary.open(openOfficePool(url, 2))
const [kind, first, second] = work.split(':')
const runner = new JobRunner(
  new JobQueue(library),
  {
    'recording-transcription': async (job) => {
      if (kind === 'wait') await new Promise((resolve) => setTimeout(resolve, Number(first)))
      else
        await run(WHISPER_CLI, [
          '-m',
          first!,
          '-f',
          second!,
          '-t',
          '1',
          '-l',
          'en',
          '-bs',
          '1',
          '-bo',
          '1',
          '-nf',
          '-np',
        ])
      return async () => {
        await library.sql.query('INSERT INTO bench_done (subject) VALUES ($1)', [job.subject])
      }
    },
  },
  // Jobs queued by another process are found by looking (the office server's own are announced at once).
  { idleCheckMs: 500 },
)
runner.start()
process.stdout.write('ready\n')

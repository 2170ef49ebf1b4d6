/**
 * One worker machine of the office bench, in its own process: takes transcription jobs from the office
 * queue until killed. Each job either waits (`wait:MS`, the queue's own cost) or transcribes a call with
 * whisper.cpp's CLI on one thread (`whisper:MODEL:WAV`, CPU-bound like a desk's transcription).
 *   node --import tsx bench/office/worker.ts URL SCHEMA
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { OfficeQueue } from '../../src/main/office/office-queue'
import { openOfficePool } from '../../src/main/store/postgres/connection'
import { WHISPER_CLI } from '../../test/helpers/models'

const run = promisify(execFile)
const [url = '', schema = '', work = ''] = process.argv.slice(2)
const pool = openOfficePool(url, 2)
const queue = await OfficeQueue.open({ pool, url, schema, supervise: false })
const [kind, first, second] = work.split(':')
await queue.work('recording-transcription', async (job) => {
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
  return async (client) => {
    await client.query('INSERT INTO bench_done (subject) VALUES ($1)', [job.subject])
  }
})
process.stdout.write('ready\n')

/**
 * A machine of the office, as a child process the office tests can SIGKILL: it talks to the office's
 * PostgreSQL like a desk or the server would, and reports on stdout.
 *   worker URL NAME MS SCHEMA   takes transcription jobs (queue in SCHEMA); each "works" MS ms (reporting "start SUBJECT ATTEMPT"),
 *                         then records its result in the library table office_results ("done SUBJECT")
 *   leader URL NAME       competes for the sync leadership; "leading" / "following" as it changes, and
 *                         while leading writes a heartbeat row every 100 ms (the stand-in for a sync pass)
 */
import { openOfficePool } from '../../src/main/store/postgres/connection'
import { OfficeQueue } from '../../src/main/office/office-queue'
import { SyncLeadership } from '../../src/main/office/sync-leader'

const [mode, url = '', name = '', ms = '0', schema = 'callscribe_jobs'] = process.argv.slice(2)
const say = (line: string) => process.stdout.write(`${line}\n`)
const pool = openOfficePool(url, 4)

if (mode === 'worker') {
  const queue = await OfficeQueue.open({
    pool,
    url,
    schema,
    heartbeatSeconds: 10,
    monitorSeconds: 1,
    retryDelaySeconds: 1,
  })
  await queue.work('recording-transcription', async (job) => {
    say(`start ${job.subject} ${job.attempt}`)
    await new Promise((resolve) => setTimeout(resolve, Number(ms)))
    return async (client) => {
      await client.query('INSERT INTO office_results (subject, worker, attempt) VALUES ($1, $2, $3)', [
        job.subject,
        name,
        job.attempt,
      ])
      say(`done ${job.subject}`)
    }
  })
  say('ready')
}

if (mode === 'leader') {
  const leadership = new SyncLeadership(
    { url, checkMs: 200, lockName: 'test.sync' },
    async (signal) => {
      while (!signal.aborted) {
        await pool.query('INSERT INTO office_leader_beats (leader) VALUES ($1)', [name])
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    (leading) => say(leading ? 'leading' : 'following'),
  )
  leadership.start()
  say('ready')
}

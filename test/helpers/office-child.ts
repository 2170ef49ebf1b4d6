/**
 * A machine of the office, as a child process the office tests can SIGKILL: an office server's queue and
 * runner on the office's PostgreSQL library (or its sync leadership), reporting on stdout.
 *   worker URL NAME MS   runs transcription jobs; each "works" MS ms (reporting "start SUBJECT ATTEMPT"),
 *                        then records its result in the table office_results ("done SUBJECT")
 *   leader URL NAME      competes for the sync leadership; "leading" / "following" as it changes, and
 *                        while leading writes a heartbeat row every 100 ms (the stand-in for a sync pass)
 */
import { JobQueue } from '../../src/main/jobs/queue'
import { JobRunner } from '../../src/main/jobs/runner'
import { SyncLeadership } from '../../src/main/office/sync-leader'
import { PgLibrary } from '../../src/main/store/postgres'
import { openOfficePool } from '../../src/main/store/postgres/connection'

const [mode, url = '', name = '', ms = '0'] = process.argv.slice(2)
const say = (line: string) => process.stdout.write(`${line}\n`)
const pool = openOfficePool(url, 4)

if (mode === 'worker') {
  const library = await PgLibrary.open(pool)
  // A short lease, so a machine that went silent loses its job within seconds.
  const queue = new JobQueue(library, { leaseMs: 3000 })
  const runner = new JobRunner(
    queue,
    {
      'recording-transcription': async (job) => {
        say(`start ${job.subject} ${job.attempts}`)
        await new Promise((resolve) => setTimeout(resolve, Number(ms)))
        return async () => {
          await library.sql.query(
            'INSERT INTO office_results (subject, worker, attempt) VALUES ($1, $2, $3)',
            [job.subject, name, job.attempts],
          )
          say(`done ${job.subject}`)
        }
      },
    },
    // Jobs another machine queued are seen by looking: often, for the test.
    { idleCheckMs: 200, heartbeatMs: 1000 },
  )
  runner.start()
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

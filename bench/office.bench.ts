/**
 * Office mode: how the office's job queue (the app's queue on the PostgreSQL library, src/main/store/postgres)
 * scales with the number of processes taking its jobs — 1, 2 and 4 server processes on the same jobs. Two kinds of job: ones that only wait (the queue's own cost: polling, claiming,
 * heartbeats, the fenced commit) and synthetic transcriptions (whisper.cpp's CLI, one thread, the test
 * setup's random-weight model on a 30-s call: CPU-bound, so they can only scale to this machine's cores).
 * Reports jobs per minute and the speed-up against one worker (ideal = the number of workers).
 *
 * A third series is the path desks take (they never touch the database): the office server (its library,
 * transcription left to desks) and 1, 2, 4 desk processes that offered their CPU, each claiming a job over
 * the server's API, fetching the recording (and once, the office's model) over HTTPS and sending the
 * transcript back; the same synthetic model and call, one thread each.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { JobQueue } from '../src/main/jobs/queue'
import { PgLibrary } from '../src/main/store/postgres'
import { openOfficePool } from '../src/main/store/postgres/connection'
import { syntheticModel } from '../test/helpers/models'
import { startPostgres } from '../test/helpers/postgres'
import { ROOT } from './transcription/app-process'
import { makeCall } from './transcription.bench'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { Store } from '../src/main/store'
import { startTestOffice } from '../test/helpers/office'
import { makeRecordingReady, seedCall } from '../test/helpers/seed'
import { dispatch, storeOf } from '../test/helpers/services'

const WORKERS = [1, 2, 4]
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits

export async function run(): Promise<Record<string, unknown>> {
  const server = startPostgres()
  const library = await PgLibrary.open(openOfficePool(server.url))
  const queue = new JobQueue(library)
  const children: ChildProcess[] = []
  try {
    await library.sql.query(
      'CREATE TABLE bench_done (subject text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())',
    )
    const call = await makeCall('en', 1, 0.5)

    /** Runs `jobs` jobs of one kind on `workers` fresh worker processes; seconds from first send to last result. */
    async function measure(work: string, workers: number, jobs: number): Promise<number> {
      await library.sql.query('TRUNCATE bench_done, jobs')
      await Promise.all(
        Array.from({ length: workers }, () => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', join(ROOT, 'bench/office/worker.ts'), server.url, work],
            {
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          )
          children.push(child)
          return new Promise<void>((resolve) =>
            createInterface({ input: child.stdout! }).on('line', (line) => line === 'ready' && resolve()),
          )
        }),
      )
      const started = Date.now()
      for (let i = 0; i < jobs; i++) await queue.enqueue('recording-transcription', `RE${i}`)
      for (;;) {
        const { rows } = await library.sql.query<{ done: number; last: Date }>(
          'SELECT count(*)::int AS done, max(at) AS last FROM bench_done',
        )
        if ((rows[0]?.done ?? 0) >= jobs) {
          const duplicates = (
            await library.sql.query('SELECT subject FROM bench_done GROUP BY subject HAVING count(*) > 1')
          ).rowCount
          if (duplicates) throw new Error(`${duplicates} jobs were done twice`)
          for (const child of children.splice(0)) child.kill('SIGKILL')
          return (+rows[0]!.last - started) / 1000
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }

    const series = async (work: string, jobsPerWorker: number) => {
      const rows: Record<string, unknown>[] = []
      let single = 0
      for (const workers of WORKERS) {
        const jobs = jobsPerWorker * workers
        const seconds = await measure(work, workers, jobs)
        const rate = jobs / seconds
        if (workers === 1) single = rate
        const row = {
          workers,
          jobs,
          seconds: round(seconds, 1),
          jobsPerMinute: round(rate * 60, 1),
          speedUp: round(rate / single),
        }
        console.info(JSON.stringify({ work: work.split(':')[0], ...row }))
        rows.push(row)
      }
      return rows
    }

    /** `jobs` transcriptions on a fresh office server, done by `desks` desk processes; seconds from the first
     * job queued to the last transcript stored. */
    async function measureDesks(desks: number, jobs: number): Promise<number> {
      const dir = mkdtempSync(join(tmpdir(), 'callscribe-bench-office-'))
      try {
        const dataDir = join(dir, 'server')
        mkdirSync(join(dataDir, 'recordings'), { recursive: true })
        const store = Store.open(join(dataDir, 'callscribe.db'))
        store.settings.set('workspace', 'twilio')
        const recordings: string[] = []
        for (let i = 0; i < jobs; i++) {
          const { recordingSid } = seedCall(store, `bench-desk-${i}`, {
            startTime: Date.UTC(2026, 10, 1) + i * 60_000,
            recording: { channels: 1, durationSec: 30 },
          })
          makeRecordingReady(store, join(dataDir, 'recordings'), recordingSid!, call.app)
          recordings.push(recordingSid!)
        }
        store.close()
        const server = await startTestOffice(dataDir, { transcribeOnServer: false })
        try {
          const imported = await dispatch(server.services, 'models.import', { path: syntheticModel() })
          if (!imported.ok) throw new Error(imported.error.message)
          await server.services.models.updateSettings({ language: 'en', quality: 'fast' })
          await Promise.all(
            Array.from({ length: desks }, async (_, n) => {
              const { code } = await server.services.officeAccess!.invite(`Desk ${n}`, 'staff')
              const child = spawn(
                process.execPath,
                [
                  '--import',
                  'tsx',
                  join(ROOT, 'test/helpers/desk-child.ts'),
                  join(dir, `desk-${n}`),
                  server.address,
                  code,
                  '1',
                ],
                { stdio: ['ignore', 'pipe', 'inherit'] },
              )
              children.push(child)
              return new Promise<void>((resolve) =>
                createInterface({ input: child.stdout! }).on(
                  'line',
                  (line) => line === 'waiting' && resolve(),
                ),
              )
            }),
          )
          const started = Date.now()
          for (const sid of recordings) await server.services.queue.enqueue('recording-transcription', sid)
          const done = async () =>
            (await server.services.queue.list(['done'])).filter(
              (job) => job.kind === 'recording-transcription',
            ).length === jobs
          while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 100))
          const seconds = (Date.now() - started) / 1000
          const stored = storeOf(server.services)
            .db.prepare('SELECT count(*) AS n FROM transcripts')
            .get() as {
            n: number
          }
          if (stored.n !== jobs) throw new Error(`${stored.n} transcripts stored for ${jobs} jobs`)
          for (const child of children.splice(0)) child.kill('SIGKILL')
          return seconds
        } finally {
          await server.close()
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }

    const deskSeries = async (jobsPerDesk: number) => {
      const rows: Record<string, unknown>[] = []
      let single = 0
      for (const desks of WORKERS) {
        const jobs = jobsPerDesk * desks
        const rate = jobs / (await measureDesks(desks, jobs))
        if (desks === 1) single = rate
        const row = { desks, jobs, jobsPerMinute: round(rate * 60, 1), speedUp: round(rate / single) }
        console.info(JSON.stringify({ work: 'desks', ...row }))
        rows.push(row)
      }
      return rows
    }

    return {
      cores: cpus().length,
      waitJobs: { jobMs: 2000, rows: await series('wait:2000', 10) },
      transcriptionJobs: {
        model: 'const-ggml-tiny-P100.bin (random weights)',
        call: '30 s, English, one thread per job',
        rows: await series(`whisper:${syntheticModel()}:${call.cli}`, 6),
      },
      deskTranscriptions: {
        model: 'const-ggml-tiny-P100.bin (random weights), fetched by each desk from the server once',
        call: '30 s, English, 8 kHz as Twilio sends it, one thread per desk, the app’s pipeline (quality fast)',
        rows: await deskSeries(6),
      },
    }
  } finally {
    for (const child of children) child.kill('SIGKILL')
    await library.close()
    server.stop()
  }
}

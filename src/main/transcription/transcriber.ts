import { randomUUID } from 'node:crypto'
import { constants, setPriority } from 'node:os'
import { mkdirSync, rmSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { NoticeError, notice, type Notice } from '../../shared/notice'
import { killEngineProcess } from './engine'
import type { TranscriptionRequest, TranscriptionResult } from './transcribe-recording'
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol'

export class TranscriptionError extends NoticeError {
  constructor(
    notice: Notice,
    readonly kind: 'audio' | 'engine' | 'cancelled' | 'timeout',
  ) {
    super(notice)
    this.name = 'TranscriptionError'
  }
}

interface Pending {
  resolve: (result: TranscriptionResult) => void
  reject: (error: Error) => void
  onProgress: (fraction: number) => void
  /** Called on every sign of life from the worker for this request (progress). */
  alive: () => void
  worker: Worker
}

export interface TranscriberOptions {
  enginePath: string
  workDir: string
  idleUnloadMs?: number
  /** A request with no progress for this long is stuck: its worker and engine are ended (default 10 min). */
  stallMs?: number
  /** How long a cancelled request may take to stop before its worker and engine are ended (default 5 s). */
  cancelGraceMs?: number
  /** The bundled worker to run instead of the source one (the benchmark measures what the app ships). */
  workerFile?: string
}

/**
 * Starts the worker thread: the bundled file in the app; under Node from source (tests, the browser host),
 * the TypeScript module through tsx's loader, registered inside the thread.
 */
function startWorker(workerData: WorkerData, workerFile?: string): Worker {
  if (workerFile) return new Worker(workerFile, { workerData })
  if (!import.meta.url.endsWith('.ts')) {
    // Packaged, the worker is unpacked from the asar archive: a thread must load it as a real file.
    const file = fileURLToPath(new URL('./transcription-worker.mjs', import.meta.url)).replace(
      /app\.asar([\\/])/,
      'app.asar.unpacked$1',
    )
    return new Worker(file, { workerData })
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href
  const entry = new URL('./worker.ts', import.meta.url).href
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(bootstrap, { eval: true, workerData })
}

/** Main-thread side of transcription: hands recordings to the worker thread and relays its progress. */
export class Transcriber {
  private worker: Worker | null = null
  private enginePid: number | null = null
  /** Set once a background request ran: the engine then runs at the lowest priority until it unloads. */
  private background = false
  private readonly pending = new Map<string, Pending>()

  /**
   * `workDir` is a private scratch folder for audio chunks (call audio: never the shared temp
   * directory). Whatever a crashed run left there is swept when the worker starts, and the folder is
   * removed on close.
   */
  constructor(private readonly options: TranscriberOptions) {}

  /**
   * Transcribes one recording in the worker. Whatever the input does to the worker (a decoder loop, an
   * engine that stops answering), the promise settles: after `limitMs` in all, after `stallMs` without
   * progress, or `cancelGraceMs` after a cancel, the worker and its engine are ended and it rejects.
   */
  transcribe(
    request: Omit<TranscriptionRequest, 'tempDir'>,
    {
      signal,
      onProgress,
      limitMs = Infinity,
      background = false,
    }: {
      signal?: AbortSignal
      onProgress?: (fraction: number) => void
      limitMs?: number
      /**
       * Work for someone else (a desk transcribing for the office): the engine runs at the lowest
       * priority, so it uses only CPU the person at this computer leaves idle. An OS lets a process lower
       * its own priority but not raise it back, so the engine stays there until it unloads.
       */
      background?: boolean
    } = {},
  ): Promise<TranscriptionResult> {
    if (background && !this.background) {
      this.background = true
      this.lowerEnginePriority()
    }
    const worker = this.ensureWorker()
    const id = randomUUID()
    const stallMs = this.options.stallMs ?? 10 * 60_000
    // The thread keeps the process alive only while it has work.
    worker.ref()
    let stall: NodeJS.Timeout | undefined
    let limit: NodeJS.Timeout | undefined
    let grace: NodeJS.Timeout | undefined
    const stuck = (error: TranscriptionError) => () => this.endWorker(worker, error)
    const alive = () => {
      clearTimeout(stall)
      stall = setTimeout(
        stuck(
          new TranscriptionError(notice('transcription.stalled', { minutes: minutes(stallMs) }), 'timeout'),
        ),
        stallMs,
      )
    }
    const promise = new Promise<TranscriptionResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress: onProgress ?? (() => undefined), alive, worker })
      alive()
      if (Number.isFinite(limitMs))
        limit = setTimeout(
          stuck(
            new TranscriptionError(
              notice('transcription.too-slow', { minutes: minutes(limitMs) }),
              'timeout',
            ),
          ),
          limitMs,
        )
      const cancel = () => {
        this.post(worker, { type: 'cancel', id })
        grace = setTimeout(
          stuck(new TranscriptionError(notice('transcription.cancelled'), 'cancelled')),
          this.options.cancelGraceMs ?? 5000,
        )
      }
      signal?.addEventListener('abort', cancel, { once: true })
      this.post(worker, { type: 'transcribe', id, request })
      if (signal?.aborted) cancel()
    })
    const clear = () => [stall, limit, grace].forEach((timer) => clearTimeout(timer))
    promise.then(clear, clear)
    return promise
  }

  private lowerEnginePriority(): void {
    if (!this.background || this.enginePid === null) return
    try {
      setPriority(this.enginePid, constants.priority.PRIORITY_LOW)
    } catch {
      // The engine has just exited; the next one is lowered as it starts.
    }
  }

  /** The engine process's id while one runs (the benchmark reads its CPU time and memory by it). */
  get engineProcessId(): number | null {
    return this.enginePid
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    if (!worker) return
    // Give the engine a moment to exit cleanly before the thread (and its child process pipes) go away.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000)
      worker.once(
        'message',
        (message: FromWorker) => message.type === 'unloaded' && (clearTimeout(timer), resolve()),
      )
      this.post(worker, { type: 'unload' })
    })
    await worker.terminate()
    rmSync(this.options.workDir, { recursive: true, force: true })
  }

  private post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message)
  }

  /**
   * Gives up on a worker that does not answer: every request it held fails with `error` at once and
   * the next request starts a new worker. The worker is asked to kill its engine (so the engine is
   * reaped); a second later the thread is terminated, and the engine killed from here in case the
   * thread was too stuck to do it (a thread's end does not end its child processes).
   */
  private endWorker(worker: Worker, error: TranscriptionError): void {
    if (this.worker !== worker) return
    this.worker = null
    const pid = this.enginePid
    this.enginePid = null
    this.failAll(worker, error)
    this.post(worker, { type: 'kill-engine' })
    setTimeout(() => {
      killEngineProcess(pid) // in case the worker was too stuck to do it
      void worker.terminate()
    }, 1000).unref()
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    rmSync(this.options.workDir, { recursive: true, force: true })
    mkdirSync(this.options.workDir, { recursive: true, mode: 0o700 })
    const worker = startWorker(
      {
        enginePath: this.options.enginePath,
        idleUnloadMs: this.options.idleUnloadMs ?? 5 * 60_000,
        workDir: this.options.workDir,
      },
      this.options.workerFile,
    )
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'unloaded') return void (this.background = false)
      if (message.type === 'engine') {
        this.enginePid = message.pid
        return void this.lowerEnginePriority()
      }
      const pending = this.pending.get(message.id)
      if (!pending) return
      if (message.type === 'progress') {
        pending.alive()
        return pending.onProgress(message.fraction)
      }
      this.pending.delete(message.id)
      if (this.pending.size === 0) worker.unref()
      if (message.type === 'result') pending.resolve(message.result)
      else pending.reject(new TranscriptionError(message.notice, message.kind))
    })
    worker.on('error', (error) =>
      this.failAll(
        worker,
        new TranscriptionError(notice('transcription.engine-failed', { detail: error.message }), 'engine'),
      ),
    )
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = null
        this.enginePid = null
      }
      this.failAll(
        worker,
        new TranscriptionError(notice('transcription.engine-failed', { detail: 'worker stopped' }), 'engine'),
      )
    })
    worker.unref()
    this.worker = worker
    return worker
  }

  private failAll(worker: Worker, error: Error): void {
    for (const [id, pending] of this.pending) {
      if (pending.worker !== worker) continue
      this.pending.delete(id)
      pending.reject(error)
    }
  }
}

/** Whole minutes, rounded up (a limit of seconds, in tests, reads as 1 minute). */
const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000))

import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { TranscriptionRequest, TranscriptionResult } from './transcribe-recording'
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol'

export class TranscriptionError extends Error {
  constructor(
    message: string,
    readonly kind: 'audio' | 'engine' | 'cancelled',
  ) {
    super(message)
    this.name = 'TranscriptionError'
  }
}

interface Pending {
  resolve: (result: TranscriptionResult) => void
  reject: (error: Error) => void
  onProgress: (fraction: number) => void
}

/**
 * Starts the worker thread: the bundled file in the app; under Node from source (tests, the browser host),
 * the TypeScript module through tsx's loader, registered inside the thread.
 */
function startWorker(workerData: WorkerData): Worker {
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
  private readonly pending = new Map<string, Pending>()

  /**
   * `workDir` is a private scratch folder for audio chunks (call audio: never the shared temp
   * directory). Whatever a crashed run left there is swept when the worker starts, and the folder is
   * removed on close.
   */
  constructor(private readonly options: { enginePath: string; workDir: string; idleUnloadMs?: number }) {}

  transcribe(
    request: Omit<TranscriptionRequest, 'tempDir'>,
    { signal, onProgress }: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
  ): Promise<TranscriptionResult> {
    const worker = this.ensureWorker()
    const id = randomUUID()
    // The thread keeps the process alive only while it has work.
    worker.ref()
    return new Promise<TranscriptionResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress: onProgress ?? (() => undefined) })
      const cancel = () => this.post(worker, { type: 'cancel', id })
      signal?.addEventListener('abort', cancel, { once: true })
      this.post(worker, { type: 'transcribe', id, request })
      if (signal?.aborted) cancel()
    })
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

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    rmSync(this.options.workDir, { recursive: true, force: true })
    mkdirSync(this.options.workDir, { recursive: true, mode: 0o700 })
    const worker = startWorker({
      enginePath: this.options.enginePath,
      idleUnloadMs: this.options.idleUnloadMs ?? 5 * 60_000,
      workDir: this.options.workDir,
    })
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'unloaded') return
      const pending = this.pending.get(message.id)
      if (!pending) return
      if (message.type === 'progress') return pending.onProgress(message.fraction)
      this.pending.delete(message.id)
      if (this.pending.size === 0) worker.unref()
      if (message.type === 'result') pending.resolve(message.result)
      else pending.reject(new TranscriptionError(message.message, message.kind))
    })
    worker.on('error', (error) =>
      this.failAll(new TranscriptionError(`The transcription worker failed: ${error.message}`, 'engine')),
    )
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null
      this.failAll(new TranscriptionError('The transcription worker stopped', 'engine'))
    })
    worker.unref()
    this.worker = worker
    return worker
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }
}

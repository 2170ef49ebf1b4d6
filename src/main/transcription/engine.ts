import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { EngineSegment } from './segments'

/** What the engine computes on: a GPU (Metal on Apple silicon) or the CPU with these instruction sets. */
export interface EngineBackend {
  gpu: string | null
  cpuFeatures: string
}

/** The engine's `--probe` answer: its backend and what this machine's CPU could run (e.g. "SSE42 AVX AVX2"). */
export interface EngineProbe extends EngineBackend {
  cpuSupports: string[]
}

const probed = new Map<string, EngineProbe | null>()

/** Asks the engine (`--probe`, no model) what it will compute on; null if it cannot run. Once per path. */
export function probeEngine(enginePath: string): EngineProbe | null {
  if (!probed.has(enginePath)) {
    try {
      const answer = JSON.parse(
        execFileSync(enginePath, ['--probe'], { encoding: 'utf8', timeout: 10_000, windowsHide: true }),
      ) as { gpu: string | null; cpuFeatures: string; cpuSupports?: string }
      probed.set(enginePath, {
        gpu: answer.gpu,
        cpuFeatures: answer.cpuFeatures,
        cpuSupports: (answer.cpuSupports ?? '').split(' ').filter(Boolean),
      })
    } catch {
      probed.set(enginePath, null)
    }
  }
  return probed.get(enginePath) ?? null
}

export interface EngineRequest {
  id: string
  pcmPath: string
  language: string
  threads: number
  beamSize: number
  fallbackPasses: number
}

type EngineMessage =
  | { type: 'ready'; multilingual: boolean }
  | { type: 'progress'; id: string; progress: number }
  | ({ type: 'segment'; id: string } & EngineSegment)
  | { type: 'done'; id: string; language: string }
  | { type: 'cancelled'; id: string }
  | { type: 'error'; id: string | null; message: string }

/** Ends an engine process at once by its id; one that has already gone is not an error. */
export function killEngineProcess(pid: number | null): void {
  if (pid === null) return
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

export class EngineCancelled extends Error {
  constructor() {
    super('Transcription was cancelled')
    this.name = 'EngineCancelled'
  }
}

interface Pending {
  segments: EngineSegment[]
  onProgress: (percent: number) => void
  resolve: (result: { segments: EngineSegment[]; language: string }) => void
  reject: (error: Error) => void
}

/**
 * The native transcription engine (native/whisper-engine) as a child process: the model stays loaded
 * between requests, a request can be cancelled mid-file, and a crash in native code ends only that
 * process, never the app.
 */
export class WhisperEngine {
  private readonly pending = new Map<string, Pending>()
  private exited = false
  private stderrTail = ''

  private constructor(
    private readonly process: ChildProcessWithoutNullStreams,
    readonly multilingual: boolean,
    readonly modelPath: string,
  ) {
    process.on('exit', (code, signal) => {
      this.exited = true
      const reason = new Error(
        `The transcription engine stopped unexpectedly (${signal ?? `exit code ${code}`})${this.stderrTail ? `: ${this.lastStderrLine()}` : ''}`,
      )
      for (const request of this.pending.values()) request.reject(reason)
      this.pending.clear()
    })
    process.stderr.on(
      'data',
      (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000)),
    )
  }

  /** Starts the engine and loads the model; `onSpawn` learns the process id at once (before the load). */
  static start(
    enginePath: string,
    modelPath: string,
    onSpawn: (pid: number | null) => void = () => undefined,
  ): Promise<WhisperEngine> {
    return new Promise((resolve, reject) => {
      const child = spawn(enginePath, ['--model', modelPath], {
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      })
      onSpawn(child.pid ?? null)
      let engine: WhisperEngine | undefined
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
      child.on('error', (error) =>
        reject(new Error(`Cannot start the transcription engine (${enginePath}): ${error.message}`)),
      )
      child.on('exit', (code) => {
        if (!engine)
          reject(
            new Error(
              `The transcription engine could not load the model (exit code ${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`,
            ),
          )
      })
      createInterface({ input: child.stdout }).on('line', (line) => {
        let message: EngineMessage
        try {
          message = JSON.parse(line) as EngineMessage
        } catch {
          return
        }
        if (!engine) {
          if (message.type === 'ready') {
            engine = new WhisperEngine(child, message.multilingual, modelPath)
            resolve(engine)
          } else if (message.type === 'error') {
            reject(new Error(message.message))
          }
          return
        }
        engine.handle(message)
      })
    })
  }

  get alive(): boolean {
    return !this.exited
  }

  run(
    request: EngineRequest,
    onProgress: (percent: number) => void,
  ): Promise<{ segments: EngineSegment[]; language: string }> {
    if (this.exited) return Promise.reject(new Error('The transcription engine is not running'))
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { segments: [], onProgress, resolve, reject })
      this.process.stdin.write(
        [
          'transcribe',
          request.id,
          request.pcmPath,
          request.language,
          request.threads,
          request.beamSize,
          request.fallbackPasses,
        ].join('\t') + '\n',
      )
    })
  }

  cancel(id: string): void {
    if (!this.exited) this.process.stdin.write(`cancel\t${id}\n`)
  }

  /** Unloads the model: asks the engine to finish, and kills it if it does not within a few seconds. */
  async quit(): Promise<void> {
    if (this.exited) return
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()))
    this.process.stdin.end('quit\n')
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }

  private handle(message: EngineMessage): void {
    if (message.type === 'ready' || message.id === null) return
    const request = this.pending.get(message.id)
    if (!request) return
    switch (message.type) {
      case 'progress':
        request.onProgress(message.progress)
        break
      case 'segment':
        request.segments.push({
          t0: message.t0,
          t1: message.t1,
          text: message.text,
          p: message.p,
          noSpeech: message.noSpeech,
          ...(message.tokens ? { tokens: message.tokens } : {}),
        })
        break
      case 'done':
        this.pending.delete(message.id)
        request.resolve({ segments: request.segments, language: message.language })
        break
      case 'cancelled':
        this.pending.delete(message.id)
        request.reject(new EngineCancelled())
        break
      case 'error':
        this.pending.delete(message.id)
        request.reject(new Error(message.message))
        break
    }
  }

  private lastStderrLine(): string {
    return this.stderrTail.trim().split('\n').at(-1) ?? ''
  }
}

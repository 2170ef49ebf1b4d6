import type { Notice } from '../../shared/notice'
import type { TranscriptionRequest, TranscriptionResult } from './transcribe-recording'

export type ToWorker =
  | { type: 'transcribe'; id: string; request: Omit<TranscriptionRequest, 'tempDir'> }
  | { type: 'cancel'; id: string }
  | { type: 'unload' }
  /** The main thread gave up on this worker: end the engine now (the worker is terminated next). */
  | { type: 'kill-engine' }

export type FromWorker =
  | { type: 'progress'; id: string; fraction: number }
  | { type: 'result'; id: string; result: TranscriptionResult }
  | { type: 'error'; id: string; kind: 'audio' | 'engine' | 'cancelled'; notice: Notice }
  | { type: 'unloaded' }
  /** The engine process the worker started (so the main thread can end it if the worker hangs). */
  | { type: 'engine'; pid: number | null }

export interface WorkerData {
  enginePath: string
  idleUnloadMs: number
  /** The worker's scratch folder (audio chunks for the engine); the main thread creates and removes it. */
  workDir: string
}

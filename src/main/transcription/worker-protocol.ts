import type { TranscriptionRequest, TranscriptionResult } from './transcribe-recording'

export type ToWorker =
  | { type: 'transcribe'; id: string; request: Omit<TranscriptionRequest, 'tempDir'> }
  | { type: 'cancel'; id: string }
  | { type: 'unload' }

export type FromWorker =
  | { type: 'progress'; id: string; fraction: number }
  | { type: 'result'; id: string; result: TranscriptionResult }
  | { type: 'error'; id: string; kind: 'audio' | 'engine' | 'cancelled'; message: string }
  | { type: 'unloaded' }

export interface WorkerData {
  enginePath: string
  idleUnloadMs: number
  /** The worker's scratch folder (audio chunks for the engine); the main thread creates and removes it. */
  workDir: string
}

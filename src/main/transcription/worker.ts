/**
 * The transcription worker thread: decoding and talking to the native engine happen here, so the main
 * thread never blocks. It keeps one engine (one loaded model) and unloads it after a quiet spell.
 */
import { notice, noticeOf } from '../../shared/notice'
import { parentPort, workerData } from 'node:worker_threads'
import { AudioError } from './audio'
import { EngineCancelled, killEngineProcess, WhisperEngine } from './engine'
import { transcribeRecording, type TranscriptionRequest } from './transcribe-recording'
import type { ToWorker, FromWorker, WorkerData } from './worker-protocol'

const port = parentPort
if (!port) throw new Error('worker.ts must run in a worker thread')
const { enginePath, idleUnloadMs, workDir } = workerData as WorkerData

let engine: WhisperEngine | null = null
/** The engine process being started or running: killable even before its model has loaded. */
let enginePid: number | null = null
let idleTimer: NodeJS.Timeout | undefined
let queue: Promise<void> = Promise.resolve()
const running = new Map<string, AbortController>()
const send = (message: FromWorker) => port.postMessage(message)

async function engineFor(modelPath: string): Promise<WhisperEngine> {
  if (engine?.alive && engine.modelPath === modelPath) return engine
  await engine?.quit()
  engine = await WhisperEngine.start(enginePath, modelPath, (pid) => {
    enginePid = pid
    send({ type: 'engine', pid })
  })
  return engine
}

async function transcribe(id: string, request: Omit<TranscriptionRequest, 'tempDir'>): Promise<void> {
  clearTimeout(idleTimer)
  const controller = running.get(id) ?? new AbortController()
  running.set(id, controller)
  try {
    if (controller.signal.aborted) throw new EngineCancelled()
    const current = await engineFor(request.modelPath)
    const result = await transcribeRecording(
      current,
      { ...request, tempDir: workDir },
      {
        jobId: id,
        signal: controller.signal,
        onProgress: (fraction) => send({ type: 'progress', id, fraction }),
      },
    )
    send({ type: 'result', id, result })
  } catch (error) {
    const kind =
      controller.signal.aborted || error instanceof EngineCancelled
        ? 'cancelled'
        : error instanceof AudioError
          ? 'audio'
          : 'engine'
    // An engine failure carries no notice of its own: its message becomes the technical detail.
    const carried = noticeOf(error)
    send({
      type: 'error',
      id,
      kind,
      notice: carried.code === 'unexpected' ? notice('transcription.engine-failed', carried.params) : carried,
    })
  } finally {
    running.delete(id)
    idleTimer = setTimeout(() => void engine?.quit().then(() => (engine = null)), idleUnloadMs)
    idleTimer.unref()
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'transcribe':
      running.set(message.id, new AbortController())
      queue = queue.then(() => transcribe(message.id, message.request))
      break
    case 'cancel':
      running.get(message.id)?.abort(new EngineCancelled())
      break
    case 'kill-engine':
      // Killed from this thread, the engine is also reaped here (a process whose spawning thread is
      // gone would stay a zombie).
      killEngineProcess(enginePid)
      break
    case 'unload':
      queue = queue.then(async () => {
        await engine?.quit()
        engine = null
        send({ type: 'unloaded' })
      })
      break
  }
})

/**
 * One app transcription in a process of its own, so its CPU time and peak memory are this call's alone.
 * Runs what the app ships (the bundled worker, the engine) and reads the engine's CPU time and peak memory
 * from /proc by the process id the transcriber reports, never by searching process names.
 *
 * argv[2]: JSON { engine, worker, model, audio, language, threads, runs, workDir, beamSize?, fallbackPasses? }. Prints one JSON line per run:
 * the first run starts the engine (model load and warm-up: cold), later ones reuse it (warm).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Transcriber } from '../../src/main/transcription/transcriber'

const options = JSON.parse(process.argv[2] as string) as {
  engine: string
  worker: string
  model: string
  audio: string
  language: string
  threads: number
  runs: number
  workDir: string
  /** Decoding (default: greedy, no fallback, like the CLI baseline). */
  beamSize?: number
  fallbackPasses?: number
}

const TICK_MS = 10 // /proc reports CPU time in clock ticks of 1/100 s on Linux

function engineUsage(pid: number): { cpuMs: number; peakMb: number } {
  // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
  return { cpuMs, peakMb: Math.round(peakKb / 1024) }
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000

const transcriber = new Transcriber({
  enginePath: options.engine,
  workDir: join(options.workDir, 'work'),
  workerFile: options.worker,
  idleUnloadMs: 60_000,
})
let engineBefore = 0
for (let run = 0; run < options.runs; run++) {
  const delay = monitorEventLoopDelay({ resolution: 5 })
  delay.enable()
  const nodeStart = process.cpuUsage()
  const wallStart = performance.now()
  const result = await transcriber.transcribe({
    audioPath: options.audio,
    format: 'wav',
    expectedDurationSec: null,
    speakers: ['caller', 'staff'],
    language: options.language,
    threads: options.threads,
    beamSize: options.beamSize ?? 1,
    fallbackPasses: options.fallbackPasses ?? 0,
    modelPath: options.model,
    modelName: 'bench',
  })
  const wallMs = performance.now() - wallStart
  const nodeCpuMs = cpuMs(process.cpuUsage(nodeStart))
  delay.disable()
  const pid = transcriber.engineProcessId
  if (pid === null) throw new Error('the transcriber reported no engine process')
  const engine = engineUsage(pid)
  console.info(
    JSON.stringify({
      warm: run > 0,
      wallMs: Math.round(wallMs),
      nodeCpuMs: Math.round(nodeCpuMs),
      engineCpuMs: engine.cpuMs - engineBefore,
      enginePeakMb: engine.peakMb,
      nodePeakMb: Math.round(process.resourceUsage().maxRSS / 1024),
      engineRequests: result.engineRequests,
      segments: result.segments.length,
      eventLoopDelayP99Ms: Math.round(delay.percentile(99) / 1e5) / 10,
    }),
  )
  engineBefore = engine.cpuMs
}
await transcriber.close()

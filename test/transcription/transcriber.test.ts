import { notice } from '../../src/shared/notice'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { Transcriber, TranscriptionError } from '../../src/main/transcription/transcriber'
import {
  transcribeRecording,
  type TranscriptionRequest,
  type TranscriptionResult,
} from '../../src/main/transcription/transcribe-recording'
import { WhisperEngine } from '../../src/main/transcription/engine'
import { audioFixture, referenceTranscript } from '../helpers/fixtures'
import { tempDir } from '../helpers/temp'
import { craftedWav } from '../helpers/wav'
import { ENGINE, NO_REAL_MODEL, realModel, syntheticModel } from '../helpers/models'

const SCRIPTED_ENGINE = fileURLToPath(new URL('../helpers/scripted-engine.mjs', import.meta.url))

/**
 * Real whisper.cpp inference through the app's worker and engine. With the synthetic model (random
 * weights) the words are meaningless: these tests check mechanics only. A real model in ../shared/models
 * adds an accuracy check.
 */
const model = realModel() ?? syntheticModel()
const scratch = tempDir()
const transcriber = new Transcriber({
  enginePath: ENGINE,
  workDir: join(scratch, 'work'),
  idleUnloadMs: 60_000,
})
afterAll(() => transcriber.close())

function request(
  file: string,
  overrides: Partial<TranscriptionRequest> = {},
): Omit<TranscriptionRequest, 'tempDir'> {
  return {
    audioPath: audioFixture(file),
    format: 'mp3',
    expectedDurationSec: null,
    speakers: ['caller', 'staff'],
    language: 'en',
    threads: 2,
    beamSize: 1,
    // Random weights never pass Whisper's quality thresholds; fallback would only repeat the same work.
    fallbackPasses: realModel() !== null ? 2 : 0,
    modelPath: model,
    modelName: 'test-model',
    ...overrides,
  }
}

function wordErrorRate(reference: string, hypothesis: string): number {
  const words = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, ' ')
      .split(/\s+/)
      .filter(Boolean)
  const r = words(reference)
  const h = words(hypothesis)
  const d = Array.from({ length: r.length + 1 }, (_, i) => [i, ...Array<number>(h.length).fill(0)])
  for (let j = 1; j <= h.length; j++) d[0]![j] = j
  for (let i = 1; i <= r.length; i++) {
    for (let j = 1; j <= h.length; j++) {
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1),
      )
    }
  }
  return d[r.length]![h.length]! / r.length
}

/** Every segment lies inside a turn of its own speaker, and every turn of the reference is heard. */
function expectEveryTurnAtItsSpeaker(result: TranscriptionResult): void {
  const turns = referenceTranscript('clinic-he').lines
  const channelOf = { caller: 0, staff: 1 } as const
  expect(new Set(result.segments.map((s) => s.speaker))).toEqual(new Set(['caller', 'staff']))
  for (const segment of result.segments) {
    const own = turns.filter((turn) => channelOf[turn.speaker as 'caller' | 'staff'] === segment.channel)
    // Speech detection pads each stretch by 0.3 s, and the engine's frames are 30 ms.
    const inside = own.some(
      (turn) => segment.startMs >= turn.start * 1000 - 500 && segment.endMs <= turn.end * 1000 + 500,
    )
    expect(inside, `${segment.speaker} ${segment.startMs}–${segment.endMs} ms`).toBe(true)
  }
  // Nothing is heard twice: a channel's segments never overlap.
  for (const channel of [0, 1]) {
    const own = result.segments.filter((s) => s.channel === channel)
    for (let i = 1; i < own.length; i++) expect(own[i]!.startMs).toBeGreaterThanOrEqual(own[i - 1]!.endMs)
  }
  for (const turn of turns) {
    const heard = result.segments.some(
      (s) =>
        s.channel === channelOf[turn.speaker as 'caller' | 'staff'] &&
        s.startMs < turn.end * 1000 &&
        s.endMs > turn.start * 1000,
    )
    expect(heard, `${turn.speaker} at ${turn.start} s`).toBe(true)
  }
}

describe('transcription with whisper.cpp (worker thread + native engine)', () => {
  it('turns a two-channel call into one timeline with a caller and a staff speaker, reporting progress', async () => {
    const progress: number[] = []
    const result = await transcriber.transcribe(request('plumbing-en-dual.mp3'), {
      onProgress: (f) => progress.push(f),
    })
    const duration = referenceTranscript('plumbing-en').duration_s * 1000
    expect(result.segments.length).toBeGreaterThan(1)
    // Random weights put their timestamps anywhere: which speaker each segment lands on is proven with
    // the scripted engine below; here every segment has one of the two.
    for (const segment of result.segments)
      expect([segment.speaker, segment.channel]).toSatisfy(
        ([speaker, channel]: [string, number]) =>
          (speaker === 'caller' && channel === 0) || (speaker === 'staff' && channel === 1),
      )
    for (const [i, segment] of result.segments.entries()) {
      expect(segment.startMs).toBeGreaterThanOrEqual(0)
      expect(segment.endMs).toBeGreaterThanOrEqual(segment.startMs)
      expect(segment.endMs).toBeLessThanOrEqual(duration + 500)
      if (i > 0) expect(segment.startMs).toBeGreaterThanOrEqual(result.segments[i - 1]!.startMs)
      expect(segment.confidence).toBeGreaterThanOrEqual(0)
    }
    expect(progress.length).toBeGreaterThan(2)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(progress.at(-1)).toBe(1)
    expect(result.speechSeconds).toBeLessThan(result.audioSeconds) // the silences were skipped
    expect(result.model).toBe('test-model')
    // One whisper_full for the whole call: both channels' turns packed into full windows.
    expect(result.engineRequests).toBe(1)
  })

  it('puts every word of a two-channel call back at its own speaker and time', async () => {
    // The scripted engine hears perfectly (see test/helpers/scripted-engine.mjs); its segments run over
    // the seams between packed turns, so they must be cut and mapped back.
    const scripted = new Transcriber({ enginePath: SCRIPTED_ENGINE, workDir: join(scratch, 'scripted') })
    try {
      expectEveryTurnAtItsSpeaker(
        await scripted.transcribe(request('clinic-he-dual.mp3', { language: 'he' })),
      )
    } finally {
      await scripted.close()
    }
  })

  it('splits a long call into several engine requests and still puts every turn at its speaker and time', async () => {
    // Requests of 8 s stand in for the app's half hour; the language found in the first request is kept.
    const engine = await WhisperEngine.start(SCRIPTED_ENGINE, 'unused')
    const languages: string[] = []
    const run = engine.run.bind(engine)
    engine.run = (job, onProgress) => (languages.push(job.language), run(job, onProgress))
    const progress: number[] = []
    try {
      const result = await transcribeRecording(
        engine,
        { ...request('clinic-he-dual.mp3', { language: 'auto' }), tempDir: join(scratch, 'requests') },
        {
          jobId: 'long',
          signal: new AbortController().signal,
          onProgress: (fraction) => progress.push(fraction),
          maxRequestSamples: 8 * 16_000,
        },
      )
      expect(result.engineRequests).toBeGreaterThan(2)
      expect(languages).toEqual(['auto', ...Array<string>(result.engineRequests - 1).fill('en')])
      expect(result.language).toBe('en')
      expect(progress).toEqual([...progress].sort((a, b) => a - b))
      expect(progress.at(-1)).toBe(1)
      expectEveryTurnAtItsSpeaker(result)
    } finally {
      await engine.quit()
    }
  })

  it('loads a model and reads audio from folders named in Hebrew (paths reach the engine as UTF-8)', async () => {
    // On Windows the engine reads its command line as UTF-16 and opens files by wide path; a narrow
    // (ANSI code page) path would break for a user named in Hebrew. Proven there by the platform workflow.
    const folder = join(scratch, 'מודלים של דנה')
    mkdirSync(folder, { recursive: true })
    const hebrewModel = join(folder, 'מודל.bin')
    copyFileSync(model, hebrewModel)
    const audio = join(folder, 'שיחה.mp3')
    copyFileSync(audioFixture('voicemail-en.mp3'), audio)
    const hebrew = new Transcriber({ enginePath: ENGINE, workDir: join(scratch, 'עבודה') })
    try {
      const result = await hebrew.transcribe({
        ...request('voicemail-en.mp3'),
        audioPath: audio,
        modelPath: hebrewModel,
      })
      expect(result.segments.length).toBeGreaterThan(0)
    } finally {
      await hebrew.close()
    }
  })

  it('gives a mono recording one unlabelled track', async () => {
    const result = await transcriber.transcribe(request('voicemail-en.mp3'))
    expect(result.segments.length).toBeGreaterThan(0)
    expect(result.segments.every((s) => s.speaker === null && s.channel === null)).toBe(true)
  })

  it('cancels mid-file, and the next recording transcribes normally', async () => {
    const controller = new AbortController()
    const cancelled = transcriber.transcribe(request('plumbing-en-dual.mp3'), {
      signal: controller.signal,
      onProgress: (f) => f > 0 && controller.abort(),
    })
    await expect(cancelled).rejects.toMatchObject({ kind: 'cancelled' })
    const after = await transcriber.transcribe(request('voicemail-en.mp3'))
    expect(after.segments.length).toBeGreaterThan(0)
  })

  it('fails bad recordings with a reason and finishes silent ones cleanly', async () => {
    await expect(transcriber.transcribe(request('empty.mp3'))).rejects.toEqual(
      new TranscriptionError(notice('audio.empty'), 'audio'),
    )
    await expect(transcriber.transcribe(request('garbage.mp3'))).rejects.toMatchObject({
      kind: 'audio',
      notice: { code: 'audio.undecodable', params: { format: 'MP3' } },
    })
    const silent = await transcriber.transcribe(request('silence-20s.mp3'))
    expect(silent).toMatchObject({ segments: [], notes: [notice('note.no-speech')] })
    const truncated = await transcriber.transcribe(request('truncated.mp3', { expectedDurationSec: 60 }))
    expect(truncated.notes).toContainEqual(notice('note.ends-early', { seconds: 7, expectedSeconds: 60 }))
  })

  it('reports a model file that cannot be loaded', async () => {
    const broken = new Transcriber({ enginePath: ENGINE, workDir: join(scratch, 'broken') })
    try {
      await expect(
        broken.transcribe(request('voicemail-en.mp3', { modelPath: audioFixture('garbage.mp3') })),
      ).rejects.toMatchObject({
        kind: 'engine',
        notice: {
          code: 'transcription.engine-failed',
          params: { detail: expect.stringMatching(/could not load the model|cannot load the Whisper model/) },
        },
      })
    } finally {
      await broken.close()
    }
  })

  it('fails crafted WAV headers through the real worker with the reason, and keeps working', async () => {
    const crafted = join(scratch, 'crafted.mp3') // a WAV named .mp3, as a download could be
    for (const [format, reason] of [
      [{ channels: 0 }, notice('audio.wav-channels', { channels: 0 })],
      [{ bits: 0 }, notice('audio.wav-encoding', { format: 1, bits: 0 })],
      [{ rate: 1 }, notice('audio.wav-rate', { rate: 1 })],
    ] as const) {
      writeFileSync(crafted, craftedWav(format))
      await expect(
        transcriber.transcribe({ ...request('voicemail-en.mp3'), audioPath: crafted }),
      ).rejects.toMatchObject({
        kind: 'audio',
        notice: reason,
      })
    }
    const after = await transcriber.transcribe(request('voicemail-en.mp3'))
    expect(after.segments.length).toBeGreaterThan(0)
  })

  it('ends a worker whose engine stops answering, and the engine with it', async () => {
    // An "engine" that starts and never says a word: the worker waits on it for ever.
    const silent = join(scratch, 'silent-engine.sh')
    writeFileSync(silent, '#!/bin/sh\necho $$ > "$0.pid"\nexec sleep 600\n', { mode: 0o755 })
    const stuck = new Transcriber({
      enginePath: silent,
      workDir: join(scratch, 'stuck'),
      stallMs: 1500,
      cancelGraceMs: 300,
    })
    try {
      await expect(stuck.transcribe(request('voicemail-en.mp3'))).rejects.toMatchObject({
        kind: 'timeout',
        notice: notice('transcription.stalled', { minutes: 1 }),
      })
      const pid = Number(readFileSync(`${silent}.pid`, 'utf8'))
      await expect.poll(() => processExists(pid)).toBe(false)

      // A cancel the worker cannot act on still ends the request, a few seconds later.
      const controller = new AbortController()
      const pending = stuck.transcribe(request('voicemail-en.mp3'), { signal: controller.signal })
      setTimeout(() => controller.abort(), 200)
      await expect(pending).rejects.toMatchObject({ kind: 'cancelled' })
    } finally {
      await stuck.close()
    }
  })

  it('sweeps audio chunks a crashed run left behind, and removes its scratch folder on close', async () => {
    const workDir = join(scratch, 'after-crash')
    mkdirSync(workDir)
    writeFileSync(join(workDir, 'job-from-a-crashed-run-0.pcm'), new Uint8Array(64_000))
    const fresh = new Transcriber({ enginePath: ENGINE, workDir })
    try {
      await fresh.transcribe(request('voicemail-en.mp3'))
      expect(readdirSync(workDir)).toEqual([])
    } finally {
      await fresh.close()
    }
    expect(existsSync(workDir)).toBe(false)
  })

  it('transcribes the English fixture call accurately (real model only)', async ({ skip }) => {
    skip(realModel() === null, NO_REAL_MODEL)
    const result = await transcriber.transcribe(request('plumbing-en.mp3'))
    const reference = referenceTranscript('plumbing-en')
      .lines.map((l) => l.text)
      .join(' ')
    expect(wordErrorRate(reference, result.segments.map((s) => s.text).join(' '))).toBeLessThan(0.35)
  })
})

describe('the bundled worker the app ships', () => {
  it('runs as a plain ES module file and transcribes', async () => {
    const { Worker } = await import('node:worker_threads')
    const bundled = new URL('../../out/main/transcription-worker.mjs', import.meta.url)
    const worker = new Worker(bundled, {
      workerData: { enginePath: ENGINE, idleUnloadMs: 1000, workDir: scratch },
    })
    try {
      const result = await new Promise<{ type: string; result?: { segments: unknown[] } }>(
        (resolve, reject) => {
          worker.on(
            'message',
            (message: { type: string }) =>
              message.type !== 'progress' && message.type !== 'engine' && resolve(message),
          )
          worker.on('error', reject)
          worker.postMessage({ type: 'transcribe', id: 'bundled', request: request('voicemail-en.mp3') })
        },
      )
      expect(result.type).toBe('result')
      expect(result.result?.segments.length).toBeGreaterThan(0)
    } finally {
      await worker.terminate()
    }
  })
})

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

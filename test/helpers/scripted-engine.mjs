#!/usr/bin/env node
// A stand-in for callscribe-whisper that speaks its line protocol (native/whisper-engine/engine.cpp) and
// "hears" perfectly: every stretch of sound (pauses under 1.5 s kept inside, so segments run over the
// app's 0.5-s seams as Whisper's may) becomes one segment, with one token
// per half second. No real Whisper model can exist on the test machine and random weights put their
// timestamps anywhere, so this is what proves that packed speech finds its way back to the right time and
// speaker. Each word is the packed second it was heard at.
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

const emit = (message) => process.stdout.write(`${JSON.stringify(message)}\n`)
const FRAME = 480 // 30 ms at 16 kHz

function stretches(samples) {
  const found = []
  let current = null
  let quiet = 0
  for (let frame = 0; frame * FRAME < samples.length; frame++) {
    let sum = 0
    for (let i = frame * FRAME; i < Math.min(samples.length, (frame + 1) * FRAME); i++) sum += samples[i] ** 2
    const loud = sum / FRAME > 1e-5
    if (loud) {
      current ??= { start: frame, end: frame }
      current.end = frame + 1
      quiet = 0
    } else if (current && ++quiet >= 50) {
      found.push(current)
      current = null
    }
  }
  if (current) found.push(current)
  return found.map(({ start, end }) => ({ t0: start * 30, t1: end * 30 }))
}

emit({ type: 'ready', multilingual: true })
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, id, pcmPath, language] = line.split('\t')
  if (command === 'quit') process.exit(0)
  if (command !== 'transcribe') return
  const bytes = readFileSync(pcmPath)
  const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
  for (const { t0, t1 } of stretches(samples)) {
    // One word per half second: the packed second it was heard at.
    const words = []
    for (let at = t0; at < t1; at += 500) words.push({ at, text: ` ${(at / 1000).toFixed(1)}` })
    const text = words.map((word) => word.text).join('')
    const tokens = words.map((word) => [
      word.at,
      Math.min(word.at + 500, t1),
      0.9,
      Buffer.byteLength(word.text),
    ])
    emit({ type: 'segment', id, t0, t1, text, p: 0.9, noSpeech: 0.01, tokens })
  }
  emit({ type: 'done', id, language: language === 'auto' ? 'en' : language })
})

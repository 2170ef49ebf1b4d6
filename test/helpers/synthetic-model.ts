/**
 * Builds structurally valid whisper.cpp ggml models with random weights, for mechanics and speed only:
 * their transcripts are meaningless. A TypeScript port of ../shared/models/synthetic/make_synth_model.py,
 * so a fresh clone needs neither ../shared nor python3 + numpy.
 *
 * The prefix (hyper-parameters, mel filters, the real vocabulary) is whisper.cpp's `for-tests` model
 * (test/fixtures/models); the tensors follow with the names, shapes and types whisper.cpp expects.
 * With `tokensPerWindow` > 0 the decoder is deterministic (the "const" decoder): the residual-branch
 * output projections of the decoder blocks are zero, so it emits a fixed cycle of 16 text tokens for
 * positions < 4 + P and then end-of-text. Every implementation then decodes the same number of tokens
 * per 30-s window at the full compute cost (same shapes, dense matmuls): fair for speed comparisons.
 * Use it with no carried-over text context.
 *
 * The random weights come from a seeded generator of our own (not numpy's), so the bytes differ from
 * the Python script's output; the behaviour (token cycle, cost) is the same.
 */
import { createHash } from 'node:crypto'
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'

const GGML_MAGIC = 0x67676d6c
const F32 = 0
const F16 = 1
/** The text tokens the const decoder cycles through (the Python generator's TEXT). */
const CYCLE = [264, 293, 281, 295, 257, 294, 307, 291, 300, 309, 337, 322, 365, 382, 390, 321]

interface HyperParameters {
  nVocab: number
  nAudioCtx: number
  nAudioState: number
  nAudioLayer: number
  nTextCtx: number
  nTextState: number
  nTextLayer: number
  nMels: number
  ftype: number
}

function readPrefix(bytes: Buffer): HyperParameters {
  if (bytes.readUInt32LE(0) !== GGML_MAGIC) throw new Error('not a ggml whisper model (bad magic)')
  const int = (index: number) => bytes.readInt32LE(4 + 4 * index)
  const hparams: HyperParameters = {
    nVocab: int(0),
    nAudioCtx: int(1),
    nAudioState: int(2),
    nAudioLayer: int(4),
    nTextCtx: int(5),
    nTextState: int(6),
    nTextLayer: int(8),
    nMels: int(9),
    ftype: int(10),
  }
  // The for-tests files end right after the vocabulary: check, so a wrong input fails here, not in whisper.
  let offset = 48
  const nMel = bytes.readInt32LE(offset)
  const nFft = bytes.readInt32LE(offset + 4)
  offset += 8 + 4 * nMel * nFft
  const tokens = bytes.readInt32LE(offset)
  offset += 4
  for (let i = 0; i < tokens; i++) offset += 4 + bytes.readUInt32LE(offset)
  if (offset !== bytes.length) throw new Error('expected a for-tests model (header and vocabulary only)')
  return hparams
}

/** xorshift128+: fast, seeded, identical on every platform. */
function randomSource(seed: number): () => number {
  let s0 = BigInt(seed) ^ 0x9e3779b97f4a7c15n
  let s1 = 0xbf58476d1ce4e5b9n
  const mask = (1n << 64n) - 1n
  // BigInt is slow: use it only to derive 32-bit integer states for a plain-number xorshift.
  for (let i = 0; i < 8; i++) {
    let x = s0
    const y = s1
    s0 = y
    x ^= (x << 23n) & mask
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n)
  }
  let a = Number(s0 & 0xffffffffn) | 1
  let b = Number(s1 & 0xffffffffn) | 1
  return () => {
    // Two 32-bit xorshift streams mixed: plenty for random weights.
    a ^= a << 13
    a ^= a >>> 17
    a ^= a << 5
    b ^= b << 17
    b ^= b >>> 15
    b ^= b << 26
    return ((a + b) >>> 0) / 4294967296
  }
}

/** IEEE 754 half from a float (round to nearest; the values here are small and finite). */
const scratch = new Float32Array(1)
const scratchBits = new Uint32Array(scratch.buffer)
function toHalf(value: number): number {
  if (value === 0) return 0
  scratch[0] = value
  const bits = scratchBits[0] as number
  const sign = (bits >>> 16) & 0x8000
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15
  const mantissa = bits & 0x7fffff
  if (exponent <= 0) {
    if (exponent < -10) return sign
    const m = (mantissa | 0x800000) >> (1 - exponent)
    return sign | ((m + 0x1000) >> 13)
  }
  if (exponent >= 31) return sign | 0x7c00
  return sign | (exponent << 10) | ((mantissa + 0x1000) >> 13)
}

type Fill = 'random' | 'one' | 'zero' | Float32Array

/**
 * Writes one model. Random weights are N(0, 0.02²) like the Python generator's, drawn from a table of
 * 65,536 normal samples indexed by the generator (filling tens of millions of weights one Box–Muller
 * pair at a time would take the test setup many seconds for no difference that matters here).
 */
export function writeSyntheticModel(
  forTestsModel: string,
  outputPath: string,
  { seed = 0, tokensPerWindow = 0 }: { seed?: number; tokensPerWindow?: number } = {},
): void {
  const prefix = readFileSync(forTestsModel)
  const h = readPrefix(prefix)
  const random = randomSource(seed)
  const normalF32 = new Float32Array(65536)
  for (let i = 0; i < normalF32.length; i += 2) {
    const u = random() || 1e-12
    const v = random()
    const r = Math.sqrt(-2 * Math.log(u)) * 0.02
    normalF32[i] = r * Math.cos(2 * Math.PI * v)
    normalF32[i + 1] = r * Math.sin(2 * Math.PI * v)
  }
  const normalF16 = Uint16Array.from(normalF32, toHalf)
  const fd = openSync(outputPath, 'w')
  try {
    writeSync(fd, prefix)
    const tensor = (name: string, shape: number[], type: number, fill: Fill = 'random') => {
      const count = shape.reduce((a, b) => a * b, 1)
      const nameBytes = Buffer.from(name)
      const header = Buffer.alloc(12 + 4 * shape.length)
      header.writeInt32LE(shape.length, 0)
      header.writeInt32LE(nameBytes.length, 4)
      header.writeInt32LE(type, 8)
      shape.forEach((n, i) => header.writeInt32LE(n, 12 + 4 * i))
      writeSync(fd, header)
      writeSync(fd, nameBytes)
      // Written in pieces of at most 4 M values so memory stays small whatever the model size.
      const piece = 1 << 22
      for (let start = 0; start < count; start += piece) {
        const n = Math.min(piece, count - start)
        const data = type === F16 ? new Uint16Array(n) : new Float32Array(n)
        if (fill instanceof Float32Array) {
          const part = fill.subarray(start, start + n)
          if (type === F16) for (let i = 0; i < n; i++) data[i] = toHalf(part[i] as number)
          else data.set(part)
        } else if (fill === 'one') data.fill(type === F16 ? toHalf(1) : 1)
        else if (fill === 'random') {
          const table = type === F16 ? normalF16 : normalF32
          // One draw gives two 16-bit table indices.
          for (let i = 0; i < n; i += 2) {
            const r = (random() * 4294967296) >>> 0
            data[i] = table[r & 0xffff] as number
            if (i + 1 < n) data[i + 1] = table[r >>> 16] as number
          }
        }
        writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      }
    }
    const wt = h.ftype === 1 ? F16 : F32
    const As = h.nAudioState
    const Ts = h.nTextState
    const constant = tokensPerWindow > 0
    tensor('encoder.positional_embedding', [As, h.nAudioCtx], F32)
    tensor('encoder.conv1.weight', [3, h.nMels, As], wt)
    tensor('encoder.conv1.bias', [1, As], F32, 'zero')
    tensor('encoder.conv2.weight', [3, As, As], wt)
    tensor('encoder.conv2.bias', [1, As], F32, 'zero')
    tensor('encoder.ln_post.weight', [As], F32, 'one')
    tensor('encoder.ln_post.bias', [As], F32, 'zero')
    const block = (p: string, S: number, decoder: boolean) => {
      // In the const decoder the decoder blocks add nothing to the residual stream.
      const out: Fill = constant && decoder ? 'zero' : 'random'
      tensor(`${p}mlp_ln.weight`, [S], F32, 'one')
      tensor(`${p}mlp_ln.bias`, [S], F32, 'zero')
      tensor(`${p}mlp.0.weight`, [S, 4 * S], wt)
      tensor(`${p}mlp.0.bias`, [4 * S], F32, 'zero')
      tensor(`${p}mlp.2.weight`, [4 * S, S], wt, out)
      tensor(`${p}mlp.2.bias`, [S], F32, 'zero')
      for (const a of decoder ? ['attn', 'cross_attn'] : ['attn']) {
        tensor(`${p}${a}_ln.weight`, [S], F32, 'one')
        tensor(`${p}${a}_ln.bias`, [S], F32, 'zero')
        tensor(`${p}${a}.query.weight`, [S, S], wt)
        tensor(`${p}${a}.query.bias`, [S], F32, 'zero')
        tensor(`${p}${a}.key.weight`, [S, S], wt)
        tensor(`${p}${a}.value.weight`, [S, S], wt)
        tensor(`${p}${a}.value.bias`, [S], F32, 'zero')
        tensor(`${p}${a}.out.weight`, [S, S], wt, out)
        tensor(`${p}${a}.out.bias`, [S], F32, 'zero')
      }
    }
    for (let i = 0; i < h.nAudioLayer; i++) block(`encoder.blocks.${i}.`, As, false)
    if (constant) {
      // Position p < 4 + P lights dimension p % 16, which the token embedding maps to CYCLE[p % 16];
      // later positions light dimension 16, which maps to end-of-text.
      const eot = h.nVocab >= 51865 ? 50257 : 50256
      const positions = new Float32Array(h.nTextCtx * Ts)
      for (let pos = 0; pos < h.nTextCtx; pos++)
        positions[pos * Ts + (pos < 4 + tokensPerWindow ? pos % 16 : 16)] = 100
      const tokens = new Float32Array(h.nVocab * Ts)
      CYCLE.forEach((token, k) => (tokens[token * Ts + k] = 10))
      tokens[eot * Ts + 16] = 10
      tensor('decoder.positional_embedding', [Ts, h.nTextCtx], F32, positions)
      tensor('decoder.token_embedding.weight', [Ts, h.nVocab], wt, tokens)
    } else {
      tensor('decoder.positional_embedding', [Ts, h.nTextCtx], F32)
      tensor('decoder.token_embedding.weight', [Ts, h.nVocab], wt)
    }
    tensor('decoder.ln.weight', [Ts], F32, 'one')
    tensor('decoder.ln.bias', [Ts], F32, 'zero')
    for (let i = 0; i < h.nTextLayer; i++) block(`decoder.blocks.${i}.`, Ts, true)
  } finally {
    closeSync(fd)
  }
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

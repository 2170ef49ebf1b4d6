#!/usr/bin/env node
/**
 * Builds the transcription engine (native/whisper-engine) and whisper.cpp's own CLI (for the benchmark
 * baseline) from the whisper.cpp source vendored in the nodejs-whisper npm package, with cmake.
 *   node scripts/build-whisper.mjs              engine + CLI (+ the engine's mel check) tuned for this
 *                                               machine's CPU, in native/build
 *   node scripts/build-whisper.mjs --release    the release engines: every CPU variant of this architecture
 *                                               (native/whisper-engine/cpu-variants.json), each in
 *                                               native/build-<variant>, gathered in native/release/bin
 *   node scripts/build-whisper.mjs --cpu NAME [--out DIR]   one release variant (the benchmark's)
 * A variant is built with exactly the instruction sets it names, so it runs on any CPU that has them; the
 * baseline runs on any CPU of the architecture. On Apple silicon the engine is built with Metal (the GPU;
 * whisper.cpp falls back to the CPU itself).
 *
 * Skips a build when its binaries exist and were built from the same sources and options. A build
 * folder that CMake made for another checkout or source path (a copied or moved checkout) is wiped and
 * built again; an interrupted build is resumed, and if that fails, restarted from an empty folder once.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const whisperPackage = dirname(require.resolve('nodejs-whisper/package.json'))
const source = join(whisperPackage, 'cpp/whisper.cpp')
const engineDir = join(root, 'native/whisper-engine')
const exe = process.platform === 'win32' ? '.exe' : ''
const metal = process.platform === 'darwin' && process.arch === 'arm64'
/** The instruction-set switches a variant turns on (the ones it requires) or off (the rest). */
const X86_SWITCHES = ['SSE42', 'AVX', 'F16C', 'FMA', 'AVX2', 'BMI2', 'AVX512']

function option(name) {
  const index = process.argv.indexOf(name)
  return index > 0 ? process.argv[index + 1] : undefined
}

function releaseVariants() {
  const all = JSON.parse(readFileSync(join(engineDir, 'cpu-variants.json'), 'utf8'))
  const variants = all[process.arch]
  if (!variants) throw new Error(`no release engine is defined for ${process.arch} (cpu-variants.json)`)
  return variants
}

/** A variant's engine file name in the release: the baseline is plain callscribe-whisper. */
const releaseName = (variant) =>
  `callscribe-whisper${variant.name === 'baseline' ? '' : `-${variant.name}`}${exe}`

/** What a build depends on, by content: the same inputs in another folder give the same stamp. */
function stampOf(variant) {
  const hash = createHash('sha256')
  for (const file of ['engine.cpp', 'CMakeLists.txt', 'fast-mel.inc', 'fast-energy.inc', 'mel-check.cpp'])
    hash.update(readFileSync(join(engineDir, file)))
  return JSON.stringify({
    whisper: JSON.parse(readFileSync(join(whisperPackage, 'package.json'), 'utf8')).version,
    engine: hash.digest('hex'),
    cpu: variant ? `${variant.name}: ${variant.requires.join(' ') || 'architecture baseline'}` : 'native',
    metal,
    platform: `${process.platform}-${process.arch}`,
  })
}

/** The source and build folders CMake recorded in an existing cache, if any. */
function cachedFolders(build) {
  const cache = join(build, 'CMakeCache.txt')
  if (!existsSync(cache)) return null
  const text = readFileSync(cache, 'utf8')
  const value = (key) => new RegExp(`^${key}:[A-Z]+=(.*)$`, 'm').exec(text)?.[1]?.trim()
  return {
    home: value('CMAKE_HOME_DIRECTORY'),
    cacheDir: value('CMAKE_CACHEFILE_DIR'),
    whisper: value('WHISPER_CPP_DIR'),
  }
}

const samePath = (a, b) => a !== undefined && resolve(a).toLowerCase() === resolve(b).toLowerCase()

function wipe(build, reason) {
  console.info(`whisper engine: ${reason}; starting from an empty build folder`)
  rmSync(build, { recursive: true, force: true })
}

const run = (args) => execFileSync('cmake', args, { stdio: 'inherit' })

/** CMake options for the CPU: this machine's (no variant), or exactly what a release variant requires. */
function cpuOptions(variant) {
  if (!variant) return ['-DGGML_NATIVE=ON']
  const x86 = process.arch === 'x64'
  return [
    '-DGGML_NATIVE=OFF',
    ...(x86
      ? X86_SWITCHES.map((name) => `-DGGML_${name}=${variant.requires.includes(name) ? 'ON' : 'OFF'}`)
      : []),
  ]
}

function configureAndBuild(build, variant, targets) {
  run([
    '-S',
    engineDir,
    '-B',
    build,
    '-DCMAKE_BUILD_TYPE=Release',
    `-DWHISPER_CPP_DIR=${source}`,
    ...cpuOptions(variant),
    // The Metal shaders are compiled into the binary: nothing to ship beside it.
    ...(metal ? ['-DGGML_METAL=ON', '-DGGML_METAL_EMBED_LIBRARY=ON'] : ['-DGGML_METAL=OFF']),
  ])
  run([
    '--build',
    build,
    '--config',
    'Release',
    '--target',
    ...targets,
    '-j',
    String(Math.max(1, cpus().length)),
  ])
  if (targets.includes('whisper-cli')) {
    // whisper-cli lands in whisper.cpp's own bin folder (with /Release under multi-config generators);
    // keep both binaries side by side.
    const cli = [
      join(build, 'whisper.cpp/bin', `whisper-cli${exe}`),
      join(build, 'whisper.cpp/bin/Release', `whisper-cli${exe}`),
      join(build, 'bin/Release', `whisper-cli${exe}`),
    ].find(existsSync)
    if (cli) copyFileSync(cli, join(build, 'bin', `whisper-cli${exe}`))
  }
}

/**
 * Builds the engine (and the CLI when asked) for a variant (none: this machine's CPU) into `build`,
 * unless the folder already holds that exact build. Returns the engine's path.
 */
function buildEngine(build, variant, { withCli }) {
  const targets = ['callscribe-whisper', ...(withCli ? ['whisper-cli', 'callscribe-mel-check'] : [])]
  const outputs = targets.map((target) => join(build, 'bin', `${target}${exe}`))
  const stampFile = join(build, 'callscribe-build.json')
  const stamp = stampOf(variant)
  const label = variant ? `whisper engine (${variant.name})` : 'whisper engine'
  if (
    outputs.every((file) => existsSync(file)) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === stamp
  ) {
    console.info(`${label} is up to date`)
    return outputs[0]
  }
  if (!existsSync(join(source, 'CMakeLists.txt')))
    throw new Error(`whisper.cpp source not found at ${source}: run npm install`)

  const cached = cachedFolders(build)
  if (cached && !(samePath(cached.home, engineDir) && samePath(cached.cacheDir, build)))
    wipe(
      build,
      `the build folder was made for ${cached.home ?? 'another source'} (a moved or copied checkout)`,
    )
  else if (cached && !samePath(cached.whisper, source))
    wipe(build, `the build folder was made from whisper.cpp in ${cached.whisper ?? 'another place'}`)
  // The stamp is written only after a complete build: without it, whatever is there is an interrupted
  // build, which cmake resumes; if resuming fails (a half-written object file), start over once.
  rmSync(stampFile, { force: true })
  try {
    configureAndBuild(build, variant, targets)
  } catch (error) {
    if (!existsSync(build)) throw error
    wipe(build, `resuming the previous build failed (${error.message.split('\n')[0]})`)
    configureAndBuild(build, variant, targets)
  }
  for (const file of outputs) if (!existsSync(file)) throw new Error(`build did not produce ${file}`)
  writeFileSync(stampFile, stamp)
  console.info(`built ${outputs.join(' and ')}`)
  return outputs[0]
}

const cpu = option('--cpu')
const out = option('--out')
if (process.argv.includes('--release')) {
  const release = join(root, 'native/release/bin')
  rmSync(release, { recursive: true, force: true })
  mkdirSync(release, { recursive: true })
  for (const variant of releaseVariants()) {
    const engine = buildEngine(join(root, `native/build-${variant.name}`), variant, { withCli: false })
    copyFileSync(engine, join(release, releaseName(variant)))
  }
  console.info(`release engines in ${release}`)
} else if (cpu) {
  const variant = releaseVariants().find((candidate) => candidate.name === cpu)
  if (!variant) throw new Error(`unknown CPU variant ${cpu} for ${process.arch} (cpu-variants.json)`)
  buildEngine(out ? resolve(out) : join(root, `native/build-${variant.name}`), variant, { withCli: false })
} else {
  buildEngine(out ? resolve(out) : join(root, 'native/build'), null, { withCli: true })
}

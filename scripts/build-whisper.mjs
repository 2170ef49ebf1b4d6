#!/usr/bin/env node
/**
 * Builds the transcription engine (native/whisper-engine) and whisper.cpp's own CLI (for the benchmark
 * baseline) from the whisper.cpp source vendored in the nodejs-whisper npm package, with cmake.
 *   node scripts/build-whisper.mjs [--portable] [--out DIR]
 * --portable builds for any x86-64/arm64 CPU (release builds); the default tunes for this machine's CPU.
 * On Apple silicon the engine is built with Metal (the GPU; whisper.cpp falls back to the CPU itself).
 * --out builds elsewhere than native/build (the benchmark compares a portable build with a native one).
 *
 * Skips the build when both binaries exist and were built from the same sources and options. A build
 * folder that CMake made for another checkout or source path (a copied or moved checkout) is wiped and
 * built again; an interrupted build is resumed, and if that fails, restarted from an empty folder once.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const whisperPackage = dirname(require.resolve('nodejs-whisper/package.json'))
const source = join(whisperPackage, 'cpp/whisper.cpp')
const engineDir = join(root, 'native/whisper-engine')
const portable = process.argv.includes('--portable')
const outIndex = process.argv.indexOf('--out')
const build = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(root, 'native/build')
const metal = process.platform === 'darwin' && process.arch === 'arm64'
const exe = process.platform === 'win32' ? '.exe' : ''
const outputs = [join(build, 'bin', `callscribe-whisper${exe}`), join(build, 'bin', `whisper-cli${exe}`)]
const stampFile = join(build, 'callscribe-build.json')

/** What the binaries depend on, by content: the same inputs in another folder give the same stamp. */
function currentStamp() {
  const hash = createHash('sha256')
  for (const file of ['engine.cpp', 'CMakeLists.txt']) hash.update(readFileSync(join(engineDir, file)))
  return JSON.stringify({
    whisper: JSON.parse(readFileSync(join(whisperPackage, 'package.json'), 'utf8')).version,
    engine: hash.digest('hex'),
    portable,
    metal,
    platform: `${process.platform}-${process.arch}`,
  })
}

/** The source and build folders CMake recorded in an existing cache, if any. */
function cachedFolders() {
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

function wipe(reason) {
  console.info(`whisper engine: ${reason}; starting from an empty build folder`)
  rmSync(build, { recursive: true, force: true })
}

const run = (args) => execFileSync('cmake', args, { stdio: 'inherit' })

function configureAndBuild() {
  run([
    '-S',
    engineDir,
    '-B',
    build,
    '-DCMAKE_BUILD_TYPE=Release',
    `-DWHISPER_CPP_DIR=${source}`,
    `-DGGML_NATIVE=${portable ? 'OFF' : 'ON'}`,
    // The Metal shaders are compiled into the binary: nothing to ship beside it.
    ...(metal ? ['-DGGML_METAL=ON', '-DGGML_METAL_EMBED_LIBRARY=ON'] : ['-DGGML_METAL=OFF']),
  ])
  run([
    '--build',
    build,
    '--config',
    'Release',
    '--target',
    'callscribe-whisper',
    'whisper-cli',
    '-j',
    String(Math.max(1, cpus().length)),
  ])
  // whisper-cli lands in whisper.cpp's own bin folder (with /Release under multi-config generators);
  // keep both binaries side by side.
  const cli = [
    join(build, 'whisper.cpp/bin', `whisper-cli${exe}`),
    join(build, 'whisper.cpp/bin/Release', `whisper-cli${exe}`),
    join(build, 'bin/Release', `whisper-cli${exe}`),
  ].find(existsSync)
  if (cli) copyFileSync(cli, outputs[1])
  for (const file of outputs) if (!existsSync(file)) throw new Error(`build did not produce ${file}`)
}

const stamp = currentStamp()
if (
  outputs.every((file) => existsSync(file)) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp
) {
  console.info('whisper engine is up to date')
  process.exit(0)
}
if (!existsSync(join(source, 'CMakeLists.txt')))
  throw new Error(`whisper.cpp source not found at ${source}: run npm install`)

const cached = cachedFolders()
if (cached && !(samePath(cached.home, engineDir) && samePath(cached.cacheDir, build)))
  wipe(`the build folder was made for ${cached.home ?? 'another source'} (a moved or copied checkout)`)
else if (cached && !samePath(cached.whisper, source))
  wipe(`the build folder was made from whisper.cpp in ${cached.whisper ?? 'another place'}`)
// The stamp is written only after a complete build: without it, whatever is there is an interrupted
// build, which cmake resumes; if resuming fails (a half-written object file), start over once.
rmSync(stampFile, { force: true })
try {
  configureAndBuild()
} catch (error) {
  if (!existsSync(build)) throw error
  wipe(`resuming the previous build failed (${error.message.split('\n')[0]})`)
  configureAndBuild()
}
writeFileSync(stampFile, stamp)
console.info(`built ${outputs.join(' and ')}`)

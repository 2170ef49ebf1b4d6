#!/usr/bin/env node
/**
 * Builds the transcription engine (native/whisper-engine) and whisper.cpp's own CLI (for the benchmark
 * baseline) from the whisper.cpp source vendored in the nodejs-whisper npm package, with cmake.
 * Skips the build when both binaries exist for the same source and options.
 *   node scripts/build-whisper.mjs [--portable]
 * --portable builds for any x86-64/arm64 CPU (release builds); the default tunes for this machine's CPU.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const source = join(dirname(require.resolve('nodejs-whisper/package.json')), 'cpp/whisper.cpp')
const portable = process.argv.includes('--portable')
const build = join(root, 'native/build')
const exe = process.platform === 'win32' ? '.exe' : ''
const outputs = [join(build, 'bin', `callscribe-whisper${exe}`), join(build, 'bin', `whisper-cli${exe}`)]
const engineSource = readFileSync(join(root, 'native/whisper-engine/engine.cpp'), 'utf8')
const stamp = JSON.stringify({
  source,
  portable,
  engine: engineSource.length,
  cmake: readFileSync(join(root, 'native/whisper-engine/CMakeLists.txt'), 'utf8').length,
})
const stampFile = join(build, 'callscribe-build.json')

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

const run = (args) => execFileSync('cmake', args, { stdio: 'inherit' })
run([
  '-S',
  join(root, 'native/whisper-engine'),
  '-B',
  build,
  '-DCMAKE_BUILD_TYPE=Release',
  `-DWHISPER_CPP_DIR=${source}`,
  `-DGGML_NATIVE=${portable ? 'OFF' : 'ON'}`,
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
// whisper-cli lands in whisper.cpp's own bin folder; keep both binaries side by side.
const cli = [
  join(build, 'whisper.cpp/bin', `whisper-cli${exe}`),
  join(build, 'bin', `whisper-cli${exe}`),
].find(existsSync)
if (cli && cli !== outputs[1]) copyFileSync(cli, outputs[1])
for (const file of outputs) if (!existsSync(file)) throw new Error(`build did not produce ${file}`)
writeFileSync(stampFile, stamp)
console.info(`built ${outputs.join(' and ')}`)

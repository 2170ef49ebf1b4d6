#!/usr/bin/env node
/**
 * better-sqlite3 for Electron, built beside (never over) the Node build in node_modules:
 *
 *   node_modules/better-sqlite3/build/Release/better_sqlite3.node   Node: tests, browser host, benchmarks
 *   native/electron-sqlite/better_sqlite3.node                      Electron: `npm start`, installers
 *
 * The app loads the second through better-sqlite3's `nativeBinding` option (src/main/electron/app.ts), so
 * nothing is ever rebuilt in place and switching between `npm test` and `npm start` rebuilds nothing.
 * Works on a copy of the package: a prebuilt binary for this Electron when one is published
 * (prebuild-install), else a source build against Electron's headers (node-gyp). Both need the network
 * the first time; the result is kept until Electron or better-sqlite3 change.
 *
 *   node scripts/build-electron-sqlite.mjs [--arch x64|arm64]
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const archIndex = process.argv.indexOf('--arch')
const arch = archIndex > 0 ? process.argv[archIndex + 1] : process.arch
const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const packageDir = dirname(require.resolve('better-sqlite3/package.json'))
const sqlite = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version

const outDir = join(root, 'native', 'electron-sqlite')
const output = join(outDir, 'better_sqlite3.node')
const stamp = join(outDir, 'built-for.json')
const wanted = { electron, betterSqlite3: sqlite, platform: process.platform, arch }

const current = existsSync(stamp) ? readFileSync(stamp, 'utf8') : ''
if (existsSync(output) && current === JSON.stringify(wanted)) {
  console.info(`better-sqlite3 for Electron ${electron} (${process.platform}-${arch}) is up to date`)
  process.exit(0)
}

const work = mkdtempSync(join(tmpdir(), 'callscribe-electron-sqlite-'))
try {
  const copy = join(work, 'better-sqlite3')
  cpSync(packageDir, copy, {
    recursive: true,
    filter: (source) => !source.startsWith(join(packageDir, 'build')),
  })
  const run = (command, args) =>
    execFileSync(process.execPath, [command, ...args], { cwd: copy, stdio: 'inherit' })
  try {
    run(require.resolve('prebuild-install/bin.js', { paths: [packageDir] }), [
      '--runtime',
      'electron',
      '--target',
      electron,
      '--arch',
      arch,
    ])
  } catch {
    console.info('No prebuilt better-sqlite3 for this Electron; building it from source (node-gyp)…')
    try {
      run(require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] }), [
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${electron}`,
        `--arch=${arch}`,
        '--dist-url=https://electronjs.org/headers',
      ])
    } catch {
      console.error(
        `Could not build better-sqlite3 for Electron ${electron} (offline? no compiler?). The desktop app ` +
          'and the installers need it; tests and the browser host do not (they use the Node build).',
      )
      process.exitCode = 1
    }
  }
  if (process.exitCode !== 1) {
    mkdirSync(outDir, { recursive: true })
    cpSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), output)
    writeFileSync(stamp, JSON.stringify(wanted))
    console.info(`built ${output} for Electron ${electron} (${process.platform}-${arch})`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}

import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const asar = createRequire(import.meta.url)('@electron/asar') as { listPackage(path: string): string[] }

/**
 * Packages the app with `electron-builder --dir` and inspects the result. With a real Electron build in
 * CALLSCRIBE_REAL_ELECTRON_DIST it uses that (and flips the fuses); otherwise a placeholder folder stands
 * in for Electron, which proves the configuration and the archive layout without any download.
 */
describe('packaging with electron-builder', () => {
  it('is configured for signed installers on three platforms, with fuses, and signs only when told to', async () => {
    const { default: config } = await import('../../electron-builder.config.mjs')
    const { mac, win, linux } = config as Required<typeof config> & {
      mac: { icon: string }
      win: { icon: string; target: string[]; azureSignOptions?: unknown }
      linux: { target: string[] }
    }
    expect(mac).toMatchObject({
      target: ['dmg', 'zip'],
      hardenedRuntime: true,
      entitlements: 'resources/build/entitlements.mac.plist',
      notarize: false,
      identity: '-', // ad hoc without a certificate: Apple silicon runs nothing unsigned
    })
    expect(win.target).toEqual(['nsis'])
    expect(win.azureSignOptions).toBeUndefined()
    expect(linux.target).toEqual(['AppImage', 'deb'])
    // safeStorage needs the keyring library; Ubuntu 24.04 renamed the ALSA one.
    expect((config as { deb: { depends: string[] } }).deb.depends).toEqual(
      expect.arrayContaining(['libsecret-1-0', 'libnss3', 'libasound2 | libasound2t64']),
    )
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
    expect(config.publish).toBeNull() // no update feed unless CALLSCRIBE_UPDATE_URL is set
    for (const icon of [mac.icon, win.icon, 'resources/build/icons/512x512.png', 'resources/icon.png']) {
      expect(existsSync(join(ROOT, icon)), icon).toBe(true)
    }
  })

  it('puts main, preload, renderer, migrations and the worker in the app, with natives and the engine outside the archive', ({
    skip,
  }) => {
    // electron-builder makes Linux packages on macOS and Linux only (its multi-platform build docs); on
    // Windows the platform workflow packages for Windows and launches the result (test/desktop).
    skip(process.platform === 'win32', 'the Linux package layout is checked on Linux and macOS')
    const out = tempDir('callscribe-package-')
    let electronDist = process.env['CALLSCRIBE_REAL_ELECTRON_DIST']
    if (!electronDist) {
      electronDist = join(out, 'placeholder-electron')
      mkdirSync(electronDist)
      writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho "placeholder for the Electron binary"\n')
      chmodSync(join(electronDist, 'electron'), 0o755)
    }
    // The release engines take minutes per CPU variant to build: stand-ins prove which files ship.
    const engines = join(out, 'engines')
    mkdirSync(engines)
    for (const name of ['callscribe-whisper', 'callscribe-whisper-sse42', 'callscribe-whisper-haswell'])
      writeFileSync(join(engines, name), `stand-in for ${name}`)
    writeFileSync(join(engines, 'whisper-cli'), 'the benchmark baseline, never shipped')
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/electron-builder/cli.js'),
        '--config',
        'electron-builder.config.mjs',
        '--dir',
        '--linux',
        '--x64',
        `-c.directories.output=${out}/dist`,
      ],
      {
        cwd: ROOT,
        stdio: 'pipe',
        env: {
          ...process.env,
          CALLSCRIBE_ELECTRON_DIST: electronDist,
          CALLSCRIBE_ENGINE_DIR: engines,
          ...(process.env['CALLSCRIBE_REAL_ELECTRON_DIST'] ? {} : { CALLSCRIBE_SKIP_FUSES: '1' }),
        },
      },
    )
    const resources = join(out, 'dist/linux-unpacked/resources')
    const files = asar.listPackage(join(resources, 'app.asar'))
    for (const file of [
      '/package.json',
      '/out/main/index.js',
      '/out/main/transcription-worker.mjs',
      '/out/main/migrations/001_initial.sql',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/node_modules/better-sqlite3/package.json',
      '/node_modules/twilio/package.json',
      '/node_modules/openai/package.json',
      '/node_modules/electron-updater/package.json',
    ]) {
      expect(files, file).toContain(file)
    }
    // Bundled into the renderer or only for development: not shipped again as modules.
    for (const module of ['react', 'zustand', 'vitest', 'electron', 'playwright-core', 'nodejs-whisper']) {
      expect(files).not.toContain(`/node_modules/${module}`)
    }
    const unpacked = join(resources, 'app.asar.unpacked')
    // better-sqlite3: only this platform's Node-API binary, outside the archive, and it loads as it is (the
    // same file Electron loads: Node-API modules are not tied to one V8 version); no sources, no other
    // platforms' binaries, no rebuilt copy.
    const prebuilds = join(unpacked, 'node_modules/better-sqlite3/prebuilds')
    expect(readdirSync(prebuilds)).toEqual(['linux-x64.node'])
    expect(readFileSync(join(prebuilds, 'linux-x64.node')).includes('napi_register_module_v1')).toBe(true)
    const loads = `const m = { exports: {} }; process.dlopen(m, ${JSON.stringify(join(prebuilds, 'linux-x64.node'))}); console.log(typeof m.exports.Database)`
    expect(execFileSync(process.execPath, ['-e', loads], { encoding: 'utf8' }).trim()).toBe('function')
    expect(files.filter((file) => /^\/node_modules\/better-sqlite3\/(build|deps|src)\//.test(file))).toEqual(
      [],
    )
    expect(files.filter((file) => file.startsWith('/node_modules/better-sqlite3/prebuilds/'))).toEqual([
      '/node_modules/better-sqlite3/prebuilds/linux-x64.node',
    ])
    expect(existsSync(join(unpacked, 'out/main/transcription-worker.mjs'))).toBe(true)
    expect(existsSync(join(unpacked, 'node_modules/mpg123-decoder/index.js'))).toBe(true)
    // The baseline engine and every faster CPU variant, nothing else from the build folder.
    expect(readdirSync(join(resources, 'bin')).sort()).toEqual([
      'callscribe-whisper',
      'callscribe-whisper-haswell',
      'callscribe-whisper-sse42',
    ])
    expect(readdirSync(join(resources, 'demo')).sort()).toEqual([
      'clinic-he-dual.mp3',
      'garbage.mp3',
      'plumbing-en-dual.mp3',
      'voicemail-en.mp3',
    ])
    // Models are downloaded or imported at run time, never bundled.
    const shipped = readdirSync(join(out, 'dist'), { recursive: true, encoding: 'utf8' })
    expect(shipped.filter((file) => /ggml-[^/\\]*\.bin$/.test(file))).toEqual([])
    expect(existsSync(join(out, 'dist/linux-unpacked/callscribe'))).toBe(true)
  })

  it("ships an engine that needs no C++ runtime from the user's distribution", ({ skip }) => {
    skip(
      process.platform !== 'linux',
      'ldd is the Linux check; macOS and Windows are proven by the platform workflow',
    )
    const engine = join(ROOT, 'native/build/bin/callscribe-whisper')
    const libraries = execFileSync('ldd', [engine], { encoding: 'utf8' })
    expect(libraries).toMatch(/libc\.so/)
    expect(libraries).not.toMatch(/libstdc\+\+|libgcc_s/)
  })
})

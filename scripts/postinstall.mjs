#!/usr/bin/env node
/**
 * After install, rebuild native modules (better-sqlite3) for Electron with electron-builder's
 * install-app-deps. That needs Electron's headers from the internet; where there is none (CI here), it
 * says so and carries on: tests and the browser host use the Node build, and `npm start` tries again.
 */
import { spawnSync } from 'node:child_process'

if (process.env.CALLSCRIBE_SKIP_APP_DEPS) process.exit(0)
const result = spawnSync('npx', ['--no-install', 'electron-builder', 'install-app-deps'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
})
if (result.status !== 0) {
  console.warn(
    'postinstall: could not rebuild native modules for Electron (offline?). `npm start` will try again; tests are not affected.',
  )
}

#!/usr/bin/env node
/**
 * After install, build better-sqlite3 for Electron beside the Node build (scripts/build-electron-sqlite.mjs:
 * nothing in node_modules is rebuilt). That needs the network (a prebuilt binary or Electron's headers);
 * where there is none (CI here) it says so and carries on: tests and the browser host use the Node build,
 * and `npm start` tries again.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

if (process.env.CALLSCRIBE_SKIP_APP_DEPS) process.exit(0)
const script = fileURLToPath(new URL('./build-electron-sqlite.mjs', import.meta.url))
const result = spawnSync(process.execPath, [script], { stdio: 'inherit' })
if (result.status !== 0) console.warn('postinstall: `npm start` will try again; tests are not affected.')

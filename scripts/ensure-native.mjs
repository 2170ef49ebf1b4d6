#!/usr/bin/env node
/**
 * better-sqlite3 is a V8-ABI native module: one build loads in Node (tests, browser host) or in
 * Electron (the app), never both. `npm start` rebuilds it for Electron; this puts the Node build back
 * before tests and the host, rebuilding only when the current build does not load.
 */
import { execSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

function loads() {
  try {
    const Database = require('better-sqlite3')
    new Database(':memory:').close()
    return true
  } catch (error) {
    if (
      /NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF|Could not locate the bindings/.test(
        String(error),
      )
    )
      return false
    throw error
  }
}

if (!loads()) {
  console.info('better-sqlite3 is built for another runtime; rebuilding it for Node…')
  execSync('npm rebuild better-sqlite3', { stdio: 'inherit' })
  if (!loads()) throw new Error('better-sqlite3 still does not load in Node after a rebuild')
}

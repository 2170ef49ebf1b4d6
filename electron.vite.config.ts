import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

const migrationsDir = resolve(__dirname, 'src/main/store/migrations')

/** The store reads its numbered SQL migrations from a folder beside the bundle: copy them there. */
function copyMigrations(): Plugin {
  return {
    name: 'callscribe-copy-migrations',
    generateBundle() {
      for (const file of readdirSync(migrationsDir).filter((name) => name.endsWith('.sql'))) {
        this.emitFile({
          type: 'asset',
          fileName: `migrations/${file}`,
          source: readFileSync(resolve(migrationsDir, file)),
        })
      }
    },
  }
}

export default defineConfig({
  main: {
    plugins: [copyMigrations()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // A worker thread needs a file of its own next to the main bundle.
          'transcription-worker': resolve(__dirname, 'src/main/transcription/worker.ts'),
        },
        output: {
          // The worker (and any chunk it shares) is unpacked from the asar, away from the package.json that
          // says "type": "module": the .mjs extension keeps it an ES module there.
          entryFileNames: (chunk) => (chunk.name === 'transcription-worker' ? '[name].mjs' : '[name].js'),
          chunkFileNames: 'chunks/[name]-[hash].mjs',
        },
      },
    },
  },
  preload: {
    // A sandboxed preload can only require('electron'): bundle everything else into one CommonJS file.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
  },
})

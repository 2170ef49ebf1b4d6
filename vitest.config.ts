import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the synthetic models first; fails the run if a test leaves a temp folder or process behind.
    globalSetup: ['./test/global-setup.ts'],
    // Removes each file's temp folders after its last hook.
    setupFiles: ['./test/setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Real transcription on 2 cores, with test files running side by side, takes its time.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Child-process crash tests and Chromium runs are heavy on a 2-core machine.
    fileParallelism: true,
    maxWorkers: 2,
  },
})

import type { Reporter, TestModule } from 'vitest/node'

/**
 * Ends the run with one plain "N passed, N failed, N skipped" line that any CI log reader understands,
 * after a line per skipped test with the reason it gave, so nothing is skipped silently.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    const skipped: string[] = []
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result()
        if (result.state === 'passed') counts.passed++
        else if (result.state === 'failed') counts.failed++
        else {
          counts.skipped++
          const note = result.state === 'skipped' ? result.note : undefined
          skipped.push(`skipped: ${test.fullName} (${note ?? 'no reason given'})`)
        }
      }
    }
    if (skipped.length > 0) process.stdout.write(`\n${skipped.join('\n')}\n`)
    process.stdout.write(
      `\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    )
  }
}

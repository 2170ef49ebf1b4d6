/**
 * Runs the benchmarks in this folder (all, or those named on the command line) one after another and
 * writes each one's numbers to bench/results/NAME.json. Each benchmark is a module exporting `run()`.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const wanted = process.argv.slice(2)
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))

if (benches.length === 0) throw new Error(`no benchmark matches ${wanted.join(', ')}`)
mkdirSync(`${here}results`, { recursive: true })
for (const name of benches) {
  console.info(`\n== ${name} ==`)
  const module = (await import(`./${name}.bench.ts`)) as { run: () => Promise<Record<string, unknown>> }
  const result = await module.run()
  writeFileSync(
    `${here}results/${name}.json`,
    `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`,
  )
  console.info(JSON.stringify(result, null, 2))
}

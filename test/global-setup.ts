/**
 * Runs once around the whole suite: builds what the tests need that the repository cannot carry (the
 * synthetic Whisper models), and at the end fails the run if any test left something behind — a
 * `callscribe-*` folder in the temp directory, or a process of the suite still running.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { syntheticModel } from './helpers/models'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const temp = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('callscribe-')))

/** Processes whose command line shows they belong to this suite: the engine, the CLI, our Chromium. */
function suiteProcesses(): Map<number, string> {
  const found = new Map<number, string>()
  if (process.platform !== 'linux') return found
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid) || pid === process.pid) continue
    let command: string
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
    } catch {
      continue // gone meanwhile
    }
    const ours =
      command.includes(join(REPO, 'native/build/bin')) ||
      command.includes(join(tmpdir(), 'callscribe-')) ||
      (/chrom/i.test(command) && command.includes('playwright'))
    if (ours) found.set(pid, command.slice(0, 160))
  }
  return found
}

let tempBefore = new Set<string>()
let processesBefore = new Map<number, string>()

export function setup(): void {
  syntheticModel('const-ggml-tiny-P100.bin')
  tempBefore = temp()
  processesBefore = suiteProcesses()
}

export async function teardown(): Promise<void> {
  // Processes get a moment to finish exiting after the last worker closes.
  let processes: [number, string][] = []
  let folders: string[] = []
  for (let attempt = 0; attempt < 20; attempt++) {
    folders = [...temp()].filter((name) => !tempBefore.has(name))
    processes = [...suiteProcesses()].filter(([pid]) => !processesBefore.has(pid))
    if (folders.length === 0 && processes.length === 0) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  const lines = [
    ...folders.map((name) => `  temp folder ${join(tmpdir(), name)}`),
    ...processes.map(([pid, command]) => `  process ${pid}: ${command}`),
  ]
  throw new Error(`the suite left things behind:\n${lines.join('\n')}`)
}

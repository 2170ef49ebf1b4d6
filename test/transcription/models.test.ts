import { createHash } from 'node:crypto'
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseRange } from '../../src/main/media/media-handler'
import { probeEngine } from '../../src/main/transcription/engine'
import type { Services } from '../../src/main/services'
import { audioFixture } from '../helpers/fixtures'
import { syntheticModel } from '../helpers/models'
import { call, createTestServices, waitFor, dispatch } from '../helpers/services'
import { tempDir } from '../helpers/temp'

/** A local stand-in for the model host: serves the synthetic model under any name, with ranges. */
function startModelServer(file: string, options: { truncateFirstAt?: number } = {}) {
  const size = statSync(file).size
  const requests: { path: string; range: string | null }[] = []
  let truncate = options.truncateFirstAt
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', range: req.headers.range ?? null })
    const range = parseRange(req.headers.range ?? null, size)
    const { start, end } = range ?? { start: 0, end: size - 1 }
    res.writeHead(range ? 206 : 200, {
      'Content-Length': end - start + 1,
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    })
    const stream = createReadStream(file, { start, end: truncate !== undefined ? start + truncate - 1 : end })
    stream.pipe(res, { end: truncate === undefined })
    // Close a moment after the partial body: a client drops bytes it had not read yet when its stream errors.
    if (truncate !== undefined) stream.on('end', () => setTimeout(() => res.socket?.end(), 300))
    truncate = undefined
  })
  return new Promise<{ origin: string; requests: typeof requests; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
      }),
    ),
  )
}

const model = syntheticModel()
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
let services: Services
let closeServer: () => Promise<void>

beforeEach(async () => {
  closeServer = async () => undefined
})
afterEach(async () => {
  await services?.close()
  await closeServer()
})

async function start(options: { truncateFirstAt?: number } = {}) {
  const server = await startModelServer(model, options)
  closeServer = server.close
  services = createTestServices(tempDir(), { modelUrl: (entry) => `${server.origin}/${entry.file}` }).services
  await services.start()
  return server
}

describe('Whisper model manager', () => {
  it('downloads a model with progress, resumes an interrupted download, and makes it the active model', async () => {
    const server = await start({ truncateFirstAt: 5_000_000 })
    const progress: number[] = []
    services.events.subscribe(
      (name, payload) => name === 'job.progress' && progress.push((payload as { progress: number }).progress),
    )
    expect(services.models.active()).toBeNull()
    const job = await dispatch(services, 'models.download', { modelId: 'base-q5_1' })
    expect(job).toMatchObject({ ok: true, value: { kind: 'model-download', subject: 'base-q5_1' } })
    await waitFor(() => services.models.view().activeModelId === 'base-q5_1', 'the model to install', 60_000)
    expect(server.requests.map((r) => r.range)).toEqual([null, 'bytes=5000000-'])
    const installed = services.models.view().models.find((m) => m.id === 'base-q5_1')
    expect(installed).toMatchObject({ installed: true, verification: 'format' })
    expect(sha256(services.models.active()!.path)).toBe(sha256(model))
    expect(progress.length).toBeGreaterThan(2)
    expect(progress.at(-1)).toBe(1)
  })

  it('rejects a download whose checksum does not match the published one', async () => {
    await start()
    await dispatch(services, 'models.download', { modelId: 'tiny' }) // the synthetic file is not the real tiny
    await waitFor(
      async () => Boolean((await services.queue.find('model-download', 'tiny'))?.lastError),
      'the checksum failure',
      60_000,
    )
    expect((await services.queue.find('model-download', 'tiny'))?.lastError).toMatchObject({
      code: 'download.model-damaged',
    })
    expect(services.models.view().models.find((m) => m.id === 'tiny')?.installed).toBe(false)
    await dispatch(services, 'jobs.cancel', {
      jobId: (await services.queue.find('model-download', 'tiny'))!.id,
    })
  })

  it('imports a model file from disk, and refuses a file that is not a model', async () => {
    await start()
    const imported = await dispatch(services, 'models.import', { path: model })
    expect(imported).toMatchObject({
      ok: true,
      value: { activeModelId: 'imported:const-ggml-tiny-P100.bin' },
    })
    const refused = await dispatch(services, 'models.import', { path: audioFixture('garbage.mp3') })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', notice: { code: 'model.not-ggml' } },
    })
    expect(readFileSync(join(services.models.files.dir, 'imported-const-ggml-tiny-P100.bin')).length).toBe(
      statSync(model).size,
    )
  })

  it('suggests a model that fits the machine and the office language', async () => {
    await start()
    expect(services.models.suggest({ memoryGb: 4, cores: 2 })).toBe('base')
    expect(services.models.suggest({ memoryGb: 8, cores: 4 })).toBe('small')
    await dispatch(services, 'transcription.updateSettings', { language: 'he' })
    expect(services.models.suggest({ memoryGb: 32, cores: 8 })).toBe('ivrit-large-v3-turbo')
    await dispatch(services, 'transcription.updateSettings', { language: 'en' })
    expect(services.models.suggest({ memoryGb: 8, cores: 4 })).toBe('small.en')
  })

  it('says what transcription computes on: the GPU when the engine has one, else the CPU and its instruction sets', async () => {
    await start()
    const { engine } = await call(services, 'models.list', {})
    // This machine has no GPU and the engine here is a CPU build; on Apple silicon it names Metal.
    expect(engine).toMatchObject({ gpu: null, cpuFeatures: expect.stringMatching(/AVX|NEON|^$/) })
    // An engine that cannot run says nothing rather than something wrong.
    expect(probeEngine(join(tempDir(), 'no-engine'))).toBeNull()
  })
})

import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMediaHandler, parseRange } from '../../src/main/media/media-handler'
import { audioFixture } from '../helpers/fixtures'
import { sid } from '../helpers/seed'
import { tempDir } from '../helpers/temp'

const READY = sid('RE', 'ready')
const OUTSIDE = sid('RE', 'outside')
const LINKED = sid('RE', 'link')
let bytes: Buffer
let handler: ReturnType<typeof createMediaHandler>

beforeEach(() => {
  const dir = tempDir()
  const recordings = join(dir, 'recordings')
  mkdirSync(recordings)
  copyFileSync(audioFixture('plumbing-en-dual.mp3'), join(recordings, `${READY}.mp3`))
  writeFileSync(join(dir, 'secret.txt'), 'not a recording')
  symlinkSync(join(dir, 'secret.txt'), join(recordings, 'link.mp3'))
  bytes = readFileSync(join(recordings, `${READY}.mp3`))
  const files: Record<string, string> = {
    [READY]: `${READY}.mp3`,
    [OUTSIDE]: '../secret.txt',
    [LINKED]: 'link.mp3',
  }
  handler = createMediaHandler(recordings, async (id) => files[id] ?? null)
})

const get = (path: string, headers: Record<string, string> = {}) =>
  handler(new Request(`callscribe-media://recording/${path}`, { headers }))

describe('media handler', () => {
  it('serves the whole file with Accept-Ranges and the audio type', async () => {
    const response = await get(READY)
    expect(response.status).toBe(200)
    expect(response.headers.get('accept-ranges')).toBe('bytes')
    expect(response.headers.get('content-type')).toBe('audio/mpeg')
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true)
  })

  it('answers byte ranges with 206, Content-Range and exactly those bytes', async () => {
    const closed = await get(READY, { Range: 'bytes=100-199' })
    expect(closed.status).toBe(206)
    expect(closed.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`)
    expect(Buffer.from(await closed.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true)
    const open = await get(READY, { Range: 'bytes=5000-' })
    expect(open.headers.get('content-length')).toBe(String(bytes.length - 5000))
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(5000))).toBe(true)
    const suffix = await get(READY, { Range: 'bytes=-10' })
    expect(Buffer.from(await suffix.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true)
  })

  it('answers 416 to a range it cannot satisfy', async () => {
    for (const range of [`bytes=${bytes.length}-`, 'bytes=50-10', 'bytes=abc', 'items=0-1']) {
      const response = await get(READY, { Range: range })
      expect(response.status, range).toBe(416)
      expect(response.headers.get('content-range')).toBe(`bytes */${bytes.length}`)
    }
  })

  it('never serves anything outside the recordings folder or for an unknown id', async () => {
    expect((await get('..%2Fsecret.txt')).status).toBe(404)
    expect((await get('%2E%2E%2F%2E%2E%2Fetc%2Fpasswd')).status).toBe(404)
    expect((await get(sid('RE', 'unknown'))).status).toBe(404)
    expect((await get(OUTSIDE)).status).toBe(404)
    expect((await get(LINKED)).status).toBe(404)
  })

  it('parses ranges like a server should', () => {
    expect(parseRange(null, 10)).toBeUndefined()
    expect(parseRange('bytes=0-', 10)).toEqual({ start: 0, end: 9 })
    expect(parseRange('bytes=2-100', 10)).toEqual({ start: 2, end: 9 })
    expect(parseRange('bytes=-', 10)).toBeNull()
    expect(parseRange('bytes=0-1,3-4', 10)).toBeNull()
  })
})

import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve } from 'node:path'
import { Readable } from 'node:stream'

/** Finds a recording's file (relative to the recordings folder) by its SID; null if there is none. */
export type RecordingFileLookup = (recordingSid: string) => Promise<string | null>

const RECORDING_ID = /^RE[0-9a-fA-F]{32}$/
const CONTENT_TYPES: Record<string, string> = { '.mp3': 'audio/mpeg', '.wav': 'audio/wav' }

function plain(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
  })
}

/** Parses a single `bytes=` range against a file size; null = malformed/unsatisfiable, undefined = none. */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | null | undefined {
  if (header === null) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return null
  let start: number
  let end: number
  if (match[1] === '') {
    // Suffix range: the last N bytes.
    const length = Number(match[2])
    if (length === 0) return null
    start = Math.max(0, size - length)
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  }
  if (start >= size || start > end) return null
  return { start, end }
}

/**
 * Serves a recording's audio by SID with HTTP Range support, confined to the recordings folder. The same
 * function answers Electron's `protocol.handle` and the browser host's HTTP server. The last path segment
 * of the URL is the recording SID.
 */
export function createMediaHandler(recordingsDir: string, lookup: RecordingFileLookup) {
  return async function handleMedia(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed')
    const id = decodeURIComponent(new URL(request.url).pathname.split('/').pop() ?? '')
    if (!RECORDING_ID.test(id)) return plain(404, 'No such recording')
    const file = await lookup(id)
    if (!file) return plain(404, 'No such recording')

    let path: string
    let root: string
    try {
      root = await realpath(recordingsDir)
      path = await realpath(resolve(root, file))
    } catch {
      return plain(404, 'Recording file is gone')
    }
    const inside = relative(root, path)
    if (inside.startsWith('..') || isAbsolute(inside)) return plain(404, 'No such recording')

    const info = await stat(path)
    if (!info.isFile()) return plain(404, 'No such recording')
    const size = info.size
    const headers: Record<string, string> = {
      'Accept-Ranges': 'bytes',
      'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    }
    const range = parseRange(request.headers.get('range'), size)
    if (range === null) return plain(416, 'Range not satisfiable', { 'Content-Range': `bytes */${size}` })
    const { start, end } = range ?? { start: 0, end: size - 1 }
    headers['Content-Length'] = String(size === 0 ? 0 : end - start + 1)
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`
    const body =
      request.method === 'HEAD' || size === 0
        ? null
        : (Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>)
    return new Response(body, { status: range ? 206 : 200, headers })
  }
}

export type MediaHandler = ReturnType<typeof createMediaHandler>

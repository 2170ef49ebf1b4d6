import { notice } from '../../shared/notice'
import { open, rm, stat, type FileHandle } from 'node:fs/promises'
import { JobError } from '../jobs/runner'

/** A write can be short on a nearly full disk without failing: keep writing until all is on disk. */
async function writeFully(file: FileHandle, chunk: Uint8Array): Promise<void> {
  let written = 0
  while (written < chunk.length) {
    const { bytesWritten } = await file.write(chunk, written, chunk.length - written)
    if (bytesWritten === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })
    written += bytesWritten
  }
}

function diskError(error: unknown, what: string): JobError | null {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new JobError(notice('download.disk-full', { what }), {
      retryable: true,
      retryAfterMs: 60_000,
    })
  }
  return null
}

/**
 * Streams a 200/206 response into a partial file: appended when the server honoured our Range from
 * `offset`, rewritten otherwise. Each chunk is on disk before the next is read, so an interruption keeps
 * everything that arrived; the file must end at exactly the announced size. Errors are JobErrors.
 */
export async function saveResponseBody(
  response: Response,
  {
    partPath,
    offset,
    signal,
    progress,
    what,
  }: {
    partPath: string
    offset: number
    signal: AbortSignal
    progress: (fraction: number) => void
    what: string
  },
): Promise<{ bytes: number }> {
  const contentRange = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '')
  const resumed =
    response.status === 206 && contentRange !== null && Number(contentRange[1]) === offset && offset > 0
  const start = resumed ? offset : 0
  const length = Number(response.headers.get('content-length') ?? NaN)
  const total = resumed ? Number(contentRange?.[3]) : length
  if (!response.body) throw new JobError(notice('download.no-body', { what }), { retryable: true })

  let received = 0
  // Call audio is private to the user (0600), whatever an older file's mode was.
  const file = await open(partPath, resumed ? 'a' : 'w', 0o600)
  try {
    await file.chmod(0o600)
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      await writeFully(file, chunk)
      received += chunk.length
      if (Number.isFinite(total) && total > 0) progress((start + received) / total)
    }
  } catch (error) {
    if (signal.aborted) throw error
    throw (
      diskError(error, what) ??
      new JobError(notice('download.interrupted', { bytes: start + received }), {
        retryable: true,
      })
    )
  } finally {
    await file.close()
  }
  const onDisk = (await stat(partPath)).size
  if (Number.isFinite(total) && onDisk !== total) {
    throw new JobError(notice('download.incomplete', { what, bytes: onDisk, total }), {
      retryable: true,
    })
  }
  if (onDisk === 0) {
    await rm(partPath, { force: true })
    throw new JobError(notice('download.empty', { what }), { retryable: false })
  }
  return { bytes: onDisk }
}

/** A download that got no answer (no network, DNS, refused): said with the cause, and tried again. */
export function unreachable(error: unknown): JobError {
  return new JobError(
    notice('download.unreachable', { detail: String((error as Error).cause ?? (error as Error).message) }),
    { retryable: true },
  )
}

export async function fsyncPath(path: string, flags = 'r'): Promise<void> {
  const handle = await open(path, flags)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

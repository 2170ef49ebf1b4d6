import { notice } from '../../shared/notice'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { open, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { JobError, type JobHandler } from '../jobs/runner'
import type { RecordingTracker } from '../recordings/tracker'
import type { Logger } from '../secrets/redact'
import type { Library } from '../store/library'
import { retryAfterMs, type TwilioConnection } from './client'
import { basicAuth } from './credentials'
import { fsyncPath, saveResponseBody, unreachable } from '../net/save-response'
import { digest } from '../storage/digest'

export type RecordingFormat = 'mp3' | 'wav'

export interface DownloadDeps {
  library: Library
  tracker: RecordingTracker
  recordingsDir: string
  connection: () => Promise<TwilioConnection | null>
  settings: () => { format: RecordingFormat; deleteAfterDownload: boolean }
  log: Logger
}

const MAX_REDIRECTS = 5
/** A download Twilio refused for the credentials: retried by itself when the credentials change. */
export const DOWNLOAD_CREDENTIALS_REJECTED = notice('download.credentials-rejected')

/** Where an unfinished download of a recording is kept until it is complete and verified. */
const partialDir = (recordingsDir: string) => join(recordingsDir, '.partial')
const partialPath = (recordingsDir: string, sid: string, format: RecordingFormat) =>
  join(partialDir(recordingsDir), `${sid}.${format}.part`)

/** Drops what an unfinished download of this recording saved (it turned missing or failed). */
export function removePartialDownloads(recordingsDir: string, sid: string): void {
  for (const format of ['mp3', 'wav'] as const)
    rmSync(partialPath(recordingsDir, sid, format), { force: true })
}

/** At start-up: partial files of recordings no longer waiting for a download go, so .partial/ never grows. */
export async function sweepPartialDownloads(
  recordingsDir: string,
  stillWanted: (sid: string) => Promise<boolean>,
): Promise<number> {
  const dir = partialDir(recordingsDir)
  if (!existsSync(dir)) return 0
  let removed = 0
  for (const name of readdirSync(dir)) {
    const sid = name.split('.')[0] as string
    if (await stillWanted(sid)) continue
    rmSync(join(dir, name), { force: true })
    removed++
  }
  return removed
}
const AUDIO_TYPES = ['audio/mpeg', 'audio/mp3', 'audio/wav', 'audio/x-wav', 'audio/wave']

/** True when the bytes start like the format claims (ID3 tag or MPEG frame sync; RIFF/WAVE). */
export function looksLikeAudio(head: Buffer, format: RecordingFormat): boolean {
  if (format === 'wav')
    return (
      head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WAVE'
    )
  if (head.subarray(0, 3).toString('latin1') === 'ID3') return true
  return head.length >= 2 && head[0] === 0xff && ((head[1] as number) & 0xe0) === 0xe0
}

/**
 * GET that follows redirects by hand so credentials go only to the API's own origin: a redirect to
 * Twilio's storage (another origin) is followed without the Authorization header.
 */
export async function fetchFollowingRedirects(
  url: string,
  options: {
    trustedOrigin: string
    authorization: string
    headers?: Record<string, string>
    signal?: AbortSignal
  },
): Promise<Response> {
  let target = url
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { ...options.headers }
    if (new URL(target).origin === options.trustedOrigin) headers['Authorization'] = options.authorization
    const response = await fetch(target, { headers, redirect: 'manual', signal: options.signal ?? null })
    const location = response.headers.get('location')
    if (response.status < 300 || response.status >= 400 || !location) return response
    await response.body?.cancel()
    target = new URL(location, target).toString()
  }
  throw new JobError(notice('download.too-many-redirects'), { retryable: true })
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(12)
    const { bytesRead } = await handle.read(head, 0, 12, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/**
 * The download job: streams a recording to a partial file (resuming one left by an interrupted run),
 * checks status, type and length, fsyncs, renames it into place, and only then — in the job's own
 * completion transaction — records the file and marks the recording ready.
 */
export function createDownloadHandler(deps: DownloadDeps): JobHandler<'recording-download'> {
  return async (job, { signal, progress }) => {
    const recording = await deps.library.recordings.get(job.subject)
    if (!recording) throw new JobError(notice('job.subject-gone'), { retryable: false })
    if (
      recording.availability === 'ready' &&
      recording.local_file &&
      existsSync(join(deps.recordingsDir, recording.local_file))
    )
      return

    const { format, deleteAfterDownload } = deps.settings()
    const fileName = `${recording.sid}.${format}`
    const finalPath = join(deps.recordingsDir, fileName)
    const partPath = partialPath(deps.recordingsDir, recording.sid, format)
    mkdirSync(partialDir(deps.recordingsDir), { recursive: true, mode: 0o700 })

    const connection = await deps.connection()
    if (!connection)
      throw new JobError(notice('twilio.not-connected'), {
        retryable: true,
        retryAfterMs: 5 * 60_000,
      })

    // A previous run may have finished the file and died before recording it: verify and use it.
    if (!existsSync(finalPath)) {
      await downloadTo(partPath, connection, recording.sid, recording.channels, format, signal, progress)
      if (!looksLikeAudio(await readHead(partPath), format)) {
        await rm(partPath, { force: true })
        throw new JobError(notice('download.not-audio', { format: format.toUpperCase() }), {
          retryable: false,
        })
      }
      await fsyncPath(partPath, 'r+')
      await rename(partPath, finalPath)
      await fsyncPath(deps.recordingsDir).catch(() => undefined) // directories cannot be fsynced on Windows
    }
    const sizeBytes = (await stat(finalPath)).size
    const sha256 = await digest(finalPath, 'sha256')

    if (deleteAfterDownload) {
      await connection.client
        .recordings(recording.sid)
        .remove()
        .then(() => deps.log.info(`Deleted Twilio's copy of ${recording.sid} after verifying the local file`))
        .catch((error: Error) =>
          deps.log.warn(`Could not delete Twilio's copy of ${recording.sid}: ${error.message}`),
        )
    }
    return async () => {
      await deps.library.recordings.setLocalFile(recording.sid, { path: fileName, sizeBytes, sha256 })
      await deps.tracker.transition(recording.sid, { availability: 'ready', reason: null })
    }
  }

  async function downloadTo(
    partPath: string,
    connection: TwilioConnection,
    sid: string,
    channels: number,
    format: RecordingFormat,
    signal: AbortSignal,
    progress: (fraction: number) => void,
  ): Promise<void> {
    const { username, password } = basicAuth(connection.credentials)
    const url = `${connection.apiOrigin}/2010-04-01/Accounts/${connection.credentials.accountSid}/Recordings/${sid}.${format}${channels === 2 ? '?RequestedChannels=2' : ''}`
    const offset = existsSync(partPath) ? (await stat(partPath)).size : 0
    let response: Response
    try {
      response = await fetchFollowingRedirects(url, {
        trustedOrigin: connection.apiOrigin,
        authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
        signal,
      })
    } catch (error) {
      if (error instanceof JobError || signal.aborted) throw error
      throw unreachable(error)
    }

    if (response.status === 416 && offset > 0) {
      await rm(partPath, { force: true })
      throw new JobError(notice('download.restarting'), {
        retryable: true,
        retryAfterMs: 0,
      })
    }
    if (response.status === 404) {
      await deps.tracker.transition(sid, {
        availability: 'missing',
        reason: notice('recording.deleted-before-download'),
      })
      throw new JobError(notice('download.gone'), { retryable: false })
    }
    if (response.status === 401 || response.status === 403) {
      throw new JobError(DOWNLOAD_CREDENTIALS_REJECTED, { retryable: false })
    }
    if (response.status === 429) {
      throw new JobError(notice('download.slow-down'), {
        retryable: true,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')) ?? undefined,
      })
    }
    if (response.status !== 200 && response.status !== 206) {
      throw new JobError(notice('download.http', { status: response.status }), { retryable: true })
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    if (!AUDIO_TYPES.includes(type)) {
      // A proxy's error page or a captive portal answers HTML: worth a few more tries (with backoff)
      // before the recording is marked failed.
      await response.body?.cancel()
      throw new JobError(notice('download.wrong-type', { type: type || '—' }), { retryable: true })
    }
    await saveResponseBody(response, { partPath, offset, signal, progress, what: 'recording' })
  }
}

import { NoticeError, type Notice } from '../shared/notice'
import type { ApiErrorBody } from '../shared/types'

/** An error meant for the user; transports pass its code and notice through (the renderer words it). */
export class UserFacingError extends NoticeError {
  constructor(
    readonly code: ApiErrorBody['code'],
    notice: Notice,
  ) {
    super(notice)
    this.name = 'UserFacingError'
  }
}

/** Thrown when a request names something that does not exist. */
export class NotFoundError extends UserFacingError {
  constructor(notice: Notice) {
    super('not-found', notice)
  }
}

export type WorkPause = 'disk-full' | 'storage-error'

/**
 * The library cannot be written: no space (SQLite's or PostgreSQL's word for it, or the disk's), or the
 * database cannot be used at all (a damaged SQLite file; the office's PostgreSQL away or shutting down).
 */
export function storageProblem(error: unknown): WorkPause | null {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100') return 'disk-full'
  if (typeof code !== 'string') return null
  if (/^SQLITE_(IOERR|CANTOPEN|READONLY|CORRUPT|NOTADB)/.test(code)) return 'storage-error'
  // PostgreSQL: connection exceptions (08…), shutdown or crash (57P01–57P03); the server unreachable.
  if (/^(08...|57P0[123])$/.test(code) || code === 'ECONNREFUSED' || code === 'ECONNRESET')
    return 'storage-error'
  return null
}

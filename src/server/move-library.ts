import { existsSync, renameSync } from 'node:fs'
import { enqueueRecordingPipeline, resummarize } from '../main/pipeline'
import type { Logger } from '../main/secrets/redact'
import type { Services } from '../main/services'
import { Store } from '../main/store'
import type { PgLibrary } from '../main/store/postgres'
import {
  moveFromSqlite,
  officeLibraryIsEmpty,
  sqliteLibraryIsEmpty,
  type MovedLibrary,
} from '../main/store/postgres/move-from-sqlite'

/** What the SQLite file becomes once its library lives in PostgreSQL (kept, not deleted: a backup). */
export const MOVED_SUFFIX = '.moved-to-postgres'

/**
 * An office that ran its server on the SQLite file and now gives it PostgreSQL keeps everything: on the
 * first start with an empty PostgreSQL library, the file's library moves there (desks stay paired) and the
 * file is renamed, so it is never read again. A file beside a library that is already in use is left
 * alone and said so. Returns what moved, or null.
 */
export async function moveSqliteLibrary(
  file: string,
  library: PgLibrary,
  log: Logger,
): Promise<MovedLibrary | null> {
  if (!existsSync(file)) return null
  const store = Store.open(file)
  let moved: MovedLibrary | null = null
  try {
    if (sqliteLibraryIsEmpty(store)) return null
    if (!(await officeLibraryIsEmpty(library))) {
      log.warn(
        `${file} holds an older library; the office library in PostgreSQL is in use, so it is not read`,
      )
      return null
    }
    moved = await moveFromSqlite(store, library)
  } finally {
    store.close()
  }
  for (const suffix of ['', '-wal', '-shm'])
    if (existsSync(file + suffix)) renameSync(file + suffix, file + MOVED_SUFFIX + suffix)
  log.info(
    `Moved the office library from ${file} to PostgreSQL: ${moved.calls} calls, ${moved.recordings} recordings, ` +
      `${moved.transcripts} transcripts, ${moved.people} people, ${moved.sessions} signed-in devices ` +
      `(the file is kept as ${file}${MOVED_SUFFIX})`,
  )
  return moved
}

/** Queues again what the moved library's jobs had not finished (jobs themselves are not moved). */
export async function queueUnfinished(services: Services, moved: MovedLibrary): Promise<void> {
  for (const sid of moved.unfinished.transcription) await enqueueRecordingPipeline(services.queue, sid)
  for (const sid of moved.unfinished.summary) await resummarize(services.queue, sid)
}

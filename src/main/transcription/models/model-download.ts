import { notice } from '../../../shared/notice'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { JobError, type JobHandler } from '../../jobs/runner'
import { fsyncPath, saveResponseBody, unreachable } from '../../net/save-response'
import { catalogueEntry, type CatalogueEntry } from './catalogue'
import { digest } from '../../storage/digest'
import { isGgmlModel, type ModelFiles } from './model-files'

/**
 * The model-download job: a resumable download of a catalogue model, then format and checksum checks,
 * then the file goes live and is recorded as installed (in the job's commit).
 */
export function createModelDownloadHandler(
  files: ModelFiles,
  urlOf: (entry: CatalogueEntry) => string,
): JobHandler<'model-download'> {
  return async (job, { signal, progress }) => {
    const entry = catalogueEntry(job.subject)
    const partialDir = join(files.dir, '.partial')
    await mkdir(partialDir, { recursive: true })
    const partPath = join(partialDir, `${entry.file}.part`)
    const offset = existsSync(partPath) ? (await stat(partPath)).size : 0
    let response: Response
    try {
      response = await fetch(urlOf(entry), {
        headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
        signal,
      })
    } catch (error) {
      if (signal.aborted) throw error
      throw unreachable(error)
    }
    if (response.status === 416) {
      await rm(partPath, { force: true })
      throw new JobError(notice('download.restarting'), {
        retryable: true,
        retryAfterMs: 0,
      })
    }
    if (response.status !== 200 && response.status !== 206) {
      throw new JobError(notice('download.http', { status: response.status }), {
        retryable: response.status >= 500 || response.status === 429,
      })
    }
    await saveResponseBody(response, { partPath, offset, signal, progress, what: 'model' })
    if (!(await isGgmlModel(partPath))) {
      await rm(partPath, { force: true })
      throw new JobError(notice('download.not-a-model'), { retryable: false })
    }
    if (entry.sha1) {
      const actual = await digest(partPath, 'sha1')
      if (actual !== entry.sha1) {
        await rm(partPath, { force: true })
        throw new JobError(
          notice('download.model-damaged', { sha1: actual.slice(0, 12), expected: entry.sha1.slice(0, 12) }),
          { retryable: true },
        )
      }
    }
    await fsyncPath(partPath, 'r+')
    const target = join(files.dir, entry.file)
    await rename(partPath, target)
    const sha256 = await digest(target, 'sha256')
    return () =>
      files.record(entry.id, { file: entry.file, sha256, verification: entry.sha1 ? 'checksum' : 'format' })
  }
}

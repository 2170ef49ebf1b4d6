import type { RecordingAvailability } from '../../shared/types'
import type { CallsRepository } from './calls'
import type { JobsRepository } from './jobs'
import type { OfficeAccessRepository } from './office-access'
import type { RecordingRow, RecordingsRepository } from './recordings'
import type { ReviewsRepository } from './reviews'
import type { SearchIndex } from './search'
import type { SettingKey, SettingValue } from './settings-schema'
import type { ObjectSettingKey, SyncStateRepository } from './settings'
import type { SummariesRepository } from './summaries'
import type { TranscriptsRepository } from './transcripts'
import type { TwilioPendingRepository } from './twilio-pending'

/**
 * A repository as the services see it: the same methods, each answering later. The desktop's SQLite answers
 * at once; the office's PostgreSQL over the network (docs/decisions/0006-office-mode.md).
 */
export type Repository<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never
}

/** Settings are read on every path and are small: they are read at once; writes are stored before they return. */
export interface LibrarySettings {
  get<K extends SettingKey>(key: K): SettingValue<K>
  set<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<SettingValue<K>>
  update<K extends ObjectSettingKey>(key: K, patch: Partial<SettingValue<K>>): Promise<SettingValue<K>>
  /** What `update` would save (to check it first); a field given as undefined keeps its value. */
  patched<K extends ObjectSettingKey>(key: K, patch: Partial<SettingValue<K>>): SettingValue<K>
}

export type AvailabilityOf = (
  recording: RecordingRow,
) => RecordingAvailability | Promise<RecordingAvailability>

/** The app's library, whichever engine holds it: what every service reads and writes through. */
export interface Library {
  readonly search: Repository<SearchIndex>
  readonly calls: Repository<CallsRepository>
  readonly recordings: Repository<RecordingsRepository>
  readonly transcripts: Repository<TranscriptsRepository>
  readonly summaries: Repository<SummariesRepository>
  readonly reviews: Repository<ReviewsRepository>
  readonly officeAccess: Repository<OfficeAccessRepository>
  readonly settings: LibrarySettings
  readonly jobs: Repository<JobsRepository>
  readonly syncState: Repository<SyncStateRepository>
  readonly twilioPending: Repository<TwilioPendingRepository>
  /**
   * Runs `work` in one transaction: every library call it makes (and awaits, one after another) is written
   * together or not at all. A nested call is a savepoint: its failure undoes its own writes only.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>
  /**
   * Runs `start` outside any transaction the caller is in: work it starts (a listener told of a change made
   * in a transaction) is independent, so its library calls wait for that transaction like any other's.
   */
  detached<T>(start: () => T): T
  /** Housekeeping that must not run on a request (index merges, statistics). */
  maintain(): Promise<void>
  close(): Promise<void>
}

/**
 * A transaction nested in another, on either engine: a savepoint, so its failure undoes its own writes only
 * and the outer transaction goes on. `depth` names it (nested ones run one after another, never side by side).
 */
export async function inSavepoint<T>(
  exec: (sql: string) => unknown,
  depth: number,
  work: () => Promise<T>,
): Promise<T> {
  const savepoint = `nested_${depth}`
  await exec(`SAVEPOINT ${savepoint}`)
  try {
    const result = await work()
    await exec(`RELEASE SAVEPOINT ${savepoint}`)
    return result
  } catch (error) {
    await exec(`ROLLBACK TO SAVEPOINT ${savepoint}`)
    await exec(`RELEASE SAVEPOINT ${savepoint}`)
    throw error
  }
}

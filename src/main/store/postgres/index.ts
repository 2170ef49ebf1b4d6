import type pg from 'pg'
import type { Library } from '../library'
import { PgCallsRepository } from './calls'
import { Sql } from './connection'
import { PgJobsRepository } from './jobs'
import { migrateOfficeLibrary } from './migrate'
import { PgOfficeAccessRepository } from './office-access'
import { PgRecordingsRepository } from './recordings'
import { PgReviewsRepository } from './reviews'
import { PgSearchIndex } from './search'
import { PgSettings, PgSyncStateRepository } from './settings'
import { PgSummariesRepository } from './summaries'
import { PgTranscriptsRepository } from './transcripts'
import { PgTwilioPendingRepository } from './twilio-pending'

/**
 * The office library on PostgreSQL: the desktop library's repositories, one table for one table, behind
 * the same asynchronous surface (docs/decisions/0006-office-mode.md). A transaction runs on a connection
 * of its own; every library call made inside it (found by the async context) goes through that connection.
 */
export class PgLibrary implements Library {
  readonly sql: Sql
  readonly search: PgSearchIndex
  readonly calls: PgCallsRepository
  readonly recordings: PgRecordingsRepository
  readonly transcripts: PgTranscriptsRepository
  readonly summaries: PgSummariesRepository
  readonly reviews: PgReviewsRepository
  readonly officeAccess: PgOfficeAccessRepository
  readonly jobs: PgJobsRepository
  readonly syncState: PgSyncStateRepository
  readonly twilioPending: PgTwilioPendingRepository

  private constructor(
    readonly pool: pg.Pool,
    sql: Sql,
    readonly settings: PgSettings,
  ) {
    this.sql = sql
    this.search = new PgSearchIndex(sql)
    this.calls = new PgCallsRepository(sql, this.search)
    this.recordings = new PgRecordingsRepository(sql, this.calls)
    this.transcripts = new PgTranscriptsRepository(sql, this.search)
    this.summaries = new PgSummariesRepository(sql, this.search)
    this.reviews = new PgReviewsRepository(sql, this.search)
    this.officeAccess = new PgOfficeAccessRepository(sql)
    this.jobs = new PgJobsRepository(sql)
    this.syncState = new PgSyncStateRepository(sql)
    this.twilioPending = new PgTwilioPendingRepository(sql)
  }

  /** The office library on `pool`, its schema brought up to date first. */
  static async open(pool: pg.Pool): Promise<PgLibrary> {
    await migrateOfficeLibrary(pool)
    const sql = new Sql(pool)
    return new PgLibrary(pool, sql, await PgSettings.load(sql))
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.sql.transaction(work)
  }

  detached<T>(start: () => T): T {
    return this.sql.detached(start)
  }

  /** PostgreSQL's autovacuum keeps statistics and indexes: nothing to do on the app's timer. */
  async maintain(): Promise<void> {}

  async close(): Promise<void> {
    this.settings.close()
    await this.pool.end()
  }
}

import type pg from 'pg'
import { PgCallsRepository } from './calls'
import { inTransaction } from './connection'
import { PgRecordingsRepository } from './recordings'
import { PgReviewsRepository } from './reviews'
import { PgSearchIndex } from './search'
import { PgSummariesRepository } from './summaries'
import { PgTranscriptsRepository } from './transcripts'

/**
 * The office library on PostgreSQL (the twin of `Store`): the desktop library's repositories, as far as they are
 * built (docs/decisions/0006-office-mode.md). Repositories made on a transaction's client write in it.
 */
export class PgStore {
  readonly search: PgSearchIndex
  readonly calls: PgCallsRepository
  readonly recordings: PgRecordingsRepository
  readonly transcripts: PgTranscriptsRepository
  readonly summaries: PgSummariesRepository
  readonly reviews: PgReviewsRepository

  constructor(readonly db: pg.Pool | pg.PoolClient) {
    this.search = new PgSearchIndex(db)
    this.calls = new PgCallsRepository(db, this.search)
    this.recordings = new PgRecordingsRepository(db, this.calls)
    this.transcripts = new PgTranscriptsRepository(db, this.search)
    this.summaries = new PgSummariesRepository(db, this.search)
    this.reviews = new PgReviewsRepository(db, this.search)
  }

  /** Runs `work` with the library on one transaction's connection: all of it is written, or none. */
  static transaction<T>(pool: pg.Pool, work: (library: PgStore) => Promise<T>): Promise<T> {
    return inTransaction(pool, (client) => work(new PgStore(client)))
  }
}

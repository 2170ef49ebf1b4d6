import { loadMigrations, openDatabase, type Db } from './database'
import { CallsRepository } from './calls'
import { JobsRepository } from './jobs'
import { RecordingsRepository } from './recordings'
import { ReviewsRepository } from './reviews'
import { OfficeAccessRepository } from './office-access'
import { SearchIndex } from './search'
import { SettingsRepository, SyncStateRepository } from './settings'
import { SummariesRepository } from './summaries'
import { TranscriptsRepository } from './transcripts'
import { TwilioPendingRepository } from './twilio-pending'

/** The app's local library: one SQLite file, one repository per kind of thing it holds. */
export class Store {
  readonly search: SearchIndex
  readonly calls: CallsRepository
  readonly recordings: RecordingsRepository
  readonly transcripts: TranscriptsRepository
  readonly summaries: SummariesRepository
  readonly reviews: ReviewsRepository
  readonly officeAccess: OfficeAccessRepository
  readonly settings: SettingsRepository
  readonly jobs: JobsRepository
  readonly syncState: SyncStateRepository
  readonly twilioPending: TwilioPendingRepository

  constructor(readonly db: Db) {
    this.search = new SearchIndex(db)
    this.calls = new CallsRepository(db, this.search)
    this.recordings = new RecordingsRepository(db, this.calls)
    this.transcripts = new TranscriptsRepository(db, this.search)
    this.summaries = new SummariesRepository(db, this.search)
    this.reviews = new ReviewsRepository(db, this.search)
    this.officeAccess = new OfficeAccessRepository(db)
    this.settings = new SettingsRepository(db)
    this.jobs = new JobsRepository(db)
    this.syncState = new SyncStateRepository(db)
    this.twilioPending = new TwilioPendingRepository(db)
  }

  static open(file: string): Store {
    return new Store(openDatabase(file, loadMigrations()))
  }

  /** Runs `work` in one transaction (nested calls join the outer one). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)()
  }

  /**
   * Housekeeping that must not run on the UI path: merges FTS5 segments and lets SQLite refresh its
   * statistics. Called from an idle timer.
   */
  maintain(): void {
    this.db.exec(`INSERT INTO search_index (search_index, rank) VALUES ('merge', 500)`)
    this.db.pragma('optimize')
    this.db.pragma('wal_checkpoint(PASSIVE)')
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

export type { Db } from './database'

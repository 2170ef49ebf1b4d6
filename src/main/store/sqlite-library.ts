import { AsyncLocalStorage } from 'node:async_hooks'
import { Store } from './index'
import type { CallsRepository } from './calls'
import type { JobsRepository } from './jobs'
import { inSavepoint, type Library, type LibrarySettings, type Repository } from './library'
import type { OfficeAccessRepository } from './office-access'
import type { RecordingsRepository } from './recordings'
import type { ReviewsRepository } from './reviews'
import type { SearchIndex } from './search'
import type { SyncStateRepository } from './settings'
import type { SummariesRepository } from './summaries'
import type { TranscriptsRepository } from './transcripts'
import type { TwilioPendingRepository } from './twilio-pending'

/**
 * The desktop library: the SQLite store behind the asynchronous surface. SQLite answers synchronously, so a
 * call is atomic by itself; a transaction spans awaits, so while one is open every call from outside it
 * waits for it to end (a call from inside it, found by its async context, goes straight through).
 */
export class SqliteLibrary implements Library {
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
   * The transaction the current async context runs in, and how deeply nested. A callback that outlives its
   * transaction (an event listener's promise) keeps the context, so `open` says whether it still counts.
   */
  private readonly context = new AsyncLocalStorage<{ transaction: { open: boolean }; depth: number }>()
  /** Settles when the open transaction (if any) has ended. */
  private transactionEnded: Promise<void> = Promise.resolve()
  private transactionOpen = false

  constructor(readonly store: Store) {
    this.search = this.gated(store.search)
    this.calls = this.gated(store.calls)
    this.recordings = this.gated(store.recordings)
    this.transcripts = this.gated(store.transcripts)
    this.summaries = this.gated(store.summaries)
    this.reviews = this.gated(store.reviews)
    this.officeAccess = this.gated(store.officeAccess)
    this.jobs = this.gated(store.jobs)
    this.syncState = this.gated(store.syncState)
    this.twilioPending = this.gated(store.twilioPending)
    const settings = store.settings
    this.settings = {
      get: (key) => settings.get(key),
      patched: (key, patch) => settings.patched(key, patch),
      set: (key, value) => this.run(() => settings.set(key, value)),
      update: (key, patch) => this.run(() => settings.update(key, patch)),
    }
  }

  static open(file: string): SqliteLibrary {
    return new SqliteLibrary(Store.open(file))
  }

  /**
   * A nested call becomes a savepoint: its failure undoes its own writes only, and the outer transaction
   * goes on (one bad record in a page of them). Work runs its calls one after another, never in parallel.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const db = this.store.db
    const current = this.context.getStore()
    if (current?.transaction.open)
      return inSavepoint(
        (sql) => db.exec(sql),
        current.depth,
        () => this.context.run({ ...current, depth: current.depth + 1 }, work),
      )
    while (this.transactionOpen) await this.transactionEnded
    this.transactionOpen = true
    let ended!: () => void
    this.transactionEnded = new Promise((resolve) => (ended = resolve))
    const transaction = { open: true }
    try {
      db.exec('BEGIN IMMEDIATE')
      try {
        const result = await this.context.run({ transaction, depth: 1 }, work)
        db.exec('COMMIT')
        return result
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK')
        throw error
      }
    } finally {
      transaction.open = false
      this.transactionOpen = false
      ended()
    }
  }

  detached<T>(start: () => T): T {
    return this.context.exit(start)
  }

  maintain(): Promise<void> {
    return this.run(() => this.store.maintain())
  }

  async close(): Promise<void> {
    while (this.transactionOpen) await this.transactionEnded
    this.store.close()
  }

  /** Runs one synchronous store call once no transaction but the caller's own is open. */
  private async run<T>(call: () => T): Promise<T> {
    if (!this.context.getStore()?.transaction.open) while (this.transactionOpen) await this.transactionEnded
    return call()
  }

  private gated<T extends object>(repository: T): Repository<T> {
    return new Proxy(repository, {
      get: (target, name) => {
        const member = Reflect.get(target, name, target)
        if (typeof member !== 'function') return member
        return (...args: unknown[]) => this.run(() => member.apply(target, args))
      },
    }) as unknown as Repository<T>
  }
}

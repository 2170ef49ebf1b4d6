import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'
import { inSavepoint } from '../library'

// bigint columns (epoch-millisecond times, ids, search bases) come back as numbers, as from SQLite: all
// stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

/** The office library's PostgreSQL connections (office mode: docs/decisions/0006-office-mode.md). */
export function openOfficePool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'callscribe' })
  // An idle connection the server closed (restart, network) must not bring the process down: the pool
  // drops it and the next query opens a new one.
  pool.on('error', () => undefined)
  return pool
}

/** Runs `work` in one transaction on a connection of its own: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

interface TransactionContext {
  client: pg.PoolClient
  /** False once the transaction has ended (a callback that outlives it keeps the context). */
  transaction: { open: boolean }
  depth: number
}

/**
 * What the office library's repositories query through: the pool, or — inside `transaction` — that
 * transaction's connection, found by the async context (so the repositories need not be handed it, and a
 * write made by a helper deep inside a transaction is part of it, as with SQLite).
 */
export class Sql {
  private readonly context = new AsyncLocalStorage<TransactionContext>()

  constructor(readonly pool: pg.Pool) {}

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.connection().query<R>(text, values)
  }

  /** Nested calls are savepoints: a failure undoes its own writes, the outer transaction goes on. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const current = this.context.getStore()
    if (current?.transaction.open)
      return inSavepoint(
        (sql) => current.client.query(sql),
        current.depth,
        () => this.context.run({ ...current, depth: current.depth + 1 }, work),
      )
    const transaction = { open: true }
    try {
      return await inTransaction(this.pool, (client) =>
        this.context.run({ client, transaction, depth: 1 }, work),
      )
    } finally {
      transaction.open = false
    }
  }

  detached<T>(start: () => T): T {
    return this.context.exit(start)
  }

  private connection(): pg.Pool | pg.PoolClient {
    const current = this.context.getStore()
    return current?.transaction.open ? current.client : this.pool
  }
}

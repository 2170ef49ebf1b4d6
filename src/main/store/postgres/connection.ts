import pg from 'pg'

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

import pg from 'pg'

export interface SyncLeadershipOptions {
  url: string
  /** How often a follower tries to become the leader, and the leader checks it still is. */
  checkMs?: number
  /** Which lock (one per office library; tests use their own). */
  lockName?: string
}

/**
 * One sync leader per office: Twilio is polled by whichever machine holds a PostgreSQL session-level
 * advisory lock. The lock lives as long as the leader's database session, so a leader that crashes, loses
 * its network or is switched off lets it go as soon as the server notices the session is gone, and the
 * next machine to try takes over. While leading, `lead` runs with a signal that aborts when the lock is
 * lost. Sync writes are idempotent (keyed by Twilio SIDs), so even a brief overlap of an old leader that
 * has not noticed yet and the new one duplicates work, never data.
 */
export class SyncLeadership {
  private client: pg.Client | null = null
  private leading: AbortController | null = null
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private readonly checkMs: number
  private readonly lockName: string

  constructor(
    private readonly options: SyncLeadershipOptions,
    private readonly lead: (signal: AbortSignal) => Promise<void>,
    private readonly onChange: (leading: boolean) => void = () => undefined,
  ) {
    this.checkMs = options.checkMs ?? 5000
    this.lockName = options.lockName ?? 'callscribe.twilio-sync'
  }

  get isLeader(): boolean {
    return this.leading !== null
  }

  start(): void {
    void this.check()
  }

  /** Stops leading (the lock is released with the session) and stops trying. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.resign()
    await this.client?.end().catch(() => undefined)
    this.client = null
  }

  private async check(): Promise<void> {
    try {
      if (this.leading) {
        await this.client?.query('SELECT 1') // the session (and so the lock) is still there
      } else {
        this.client ??= await this.connect()
        const { rows } = await this.client.query<{ won: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS won',
          [this.lockName],
        )
        if (rows[0]?.won) this.become()
      }
    } catch {
      this.dropSession()
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.check(), this.checkMs)
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.options.url, application_name: 'callscribe-sync' })
    // A session that breaks takes the lock with it: stop leading at once rather than at the next check.
    client.on('error', () => this.dropSession())
    client.on('end', () => this.dropSession())
    await client.connect()
    return client
  }

  private become(): void {
    const leading = new AbortController()
    this.leading = leading
    this.onChange(true)
    this.lead(leading.signal)
      .catch(() => undefined)
      .finally(() => {
        // The work ended by itself (not by losing the lock): give the lock back for another machine.
        if (this.leading === leading && !this.stopped) {
          this.resign()
          void this.client
            ?.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockName])
            .catch(() => undefined)
        }
      })
  }

  private resign(): void {
    if (!this.leading) return
    this.leading.abort()
    this.leading = null
    this.onChange(false)
  }

  private dropSession(): void {
    this.resign()
    const client = this.client
    this.client = null
    void client?.end().catch(() => undefined)
  }
}

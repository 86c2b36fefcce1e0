// One SQLite write transaction at a time for an async store: each `run` waits for the one before it (whatever
// its outcome), then BEGIN IMMEDIATE … COMMIT around `work`, or ROLLBACK when it throws. better-sqlite3 is
// synchronous, but the work between BEGIN and COMMIT may await, so without the queue two callers would
// interleave inside one transaction. Used by the SM-DP+'s and the SM-DS's SQLite stores.

export interface TransactionalDatabase {
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

export class SerialTransactions {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: TransactionalDatabase) {}

  /** Runs `work` in its own transaction after every earlier one; `afterCommit` runs once it committed. */
  run<T>(work: () => Promise<T>, hooks: { beforeWork?: () => void; afterCommit?: () => void } = {}): Promise<T> {
    const attempt = async (): Promise<T> => {
      this.db.exec('BEGIN IMMEDIATE');
      hooks.beforeWork?.();
      try {
        const result = await work();
        this.db.exec('COMMIT');
        hooks.afterCommit?.();
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    };
    const result = this.queue.then(attempt, attempt);
    // The next transaction waits for this one whatever its outcome; the outcome itself (an error included)
    // reaches the caller through `result`.
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Settles once every transaction queued so far has ended. */
  async idle(): Promise<void> {
    await this.queue;
  }
}

// SQLite (better-sqlite3 12) implementation of SmdpRepository: WAL journal, foreign keys on, schema
// migrations at open, and one transaction at a time (BEGIN IMMEDIATE … COMMIT) queued behind a promise
// chain so that async work inside a transaction cannot interleave with another one. That serialisation is
// stronger than the storage contract (core/repository.ts) asks for; the core does not rely on it.
import Database from 'better-sqlite3';
import type { SmdpRepository, SmdpTransaction, StorageHealth, TestInstanceStore } from '../../core/repository.js';
import type { SecretSealer } from '../../core/secretSealer.js';
import { SerialTransactions, applyMigrations } from '@zkesim/rsp-server';
import { preparePrivateFile } from '@zkesim/config';
import { migrations } from './migrations.js';
import { SqliteTransaction } from './sqliteTransaction.js';
import { cachedStatements } from './statementCache.js';

export interface SqliteOptions {
  /** File path; ':memory:' is accepted for throwaway use but loses everything on close. */
  path: string;
  /** How long a writer waits for a lock held by another process (ms). */
  busyTimeoutMs?: number;
  /** Seals Ki, OPc and confirmation-code digests before they are written (core/secretSealer.ts). */
  sealer: SecretSealer;
}

export class SqliteRepository implements SmdpRepository, TestInstanceStore {
  private readonly db: Database.Database;
  private readonly transactions: SerialTransactions;
  private readonly statements: SqliteTransaction;
  private closed = false;

  constructor(options: SqliteOptions) {
    // Created 0600 before SQLite opens it, so its -wal and -shm files are made 0600 too (SECURITY.md).
    preparePrivateFile(options.path);
    this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    this.transactions = new SerialTransactions(this.db);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    // Freed cells are overwritten with zeros, so an erased or re-sealed secret leaves no copy in the file.
    this.db.pragma('secure_delete = ON');
    applyMigrations(this.db, migrations);
    this.statements = new SqliteTransaction(cachedStatements(this.db), options.sealer);
  }

  /**
   * Seals what a store of schema version 5 or older kept in clear (migration 6), then truncates the WAL so
   * that no page image of the clear values stays in it. Returns how many rows were sealed.
   */
  async sealPlaintextRows(): Promise<number> {
    const sealed = await this.transaction(() => this.statements.sealPlaintextRows());
    if (sealed > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return sealed;
  }

  /** The schema version after migrations (`PRAGMA user_version`). */
  schemaVersion(): number {
    return Number(this.db.pragma('user_version', { simple: true }));
  }

  async health(): Promise<StorageHealth> {
    if (this.closed) throw new Error('SQLite repository is closed');
    return { engine: 'sqlite', schemaVersion: this.schemaVersion() };
  }

  resetOrders(at: number): Promise<void> {
    return this.transaction(async () => {
      // Dropped orders may have carried subscriber identities: purge the WAL after the commit as well.
      this.statements.secretsDropped = this.db.prepare('SELECT 1 FROM orders WHERE subscriber_identity_token IS NOT NULL LIMIT 1').get() !== undefined;
      this.db.exec('DELETE FROM anchor_records; DELETE FROM profile_activity; DELETE FROM outbox; DELETE FROM orders; DELETE FROM profile_history; DELETE FROM blocked_imeis;');
      // An installed profile's Ki and OPc were erased: it can never be served again, so it leaves the inventory.
      this.db.exec('DELETE FROM profiles WHERE length(ki) = 0');
      this.db.prepare("UPDATE profiles SET state = 'available', updated_at = ?").run(at);
    });
  }

  transaction<T>(work: (tx: SmdpTransaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SQLite repository is closed'));
    return this.transactions.run(() => work(this.statements), {
      beforeWork: () => {
        this.statements.secretsDropped = false;
      },
      afterCommit: () => {
        if (this.statements.secretsDropped) this.purgeWal();
      },
    });
  }

  /**
   * The write-ahead log still holds the pages as they were before a secret was dropped: copy the log into the
   * database and truncate it to zero bytes. When another process is reading (a `zkesim smdp` command) the
   * checkpoint cannot finish; the frames then go at the next purge or when SQLite reuses the log.
   */
  private purgeWal(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.transactions.idle();
    this.db.close();
  }
}

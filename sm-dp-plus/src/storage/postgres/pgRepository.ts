// PostgreSQL (pg 8) implementation of SmdpRepository: a pool of connections, schema migrations at open
// (rsp-server's applyPgMigrations, under an advisory lock so that several processes may open one database at
// once), transactions at READ COMMITTED running concurrently. What the storage contract asks of an engine
// that does not serialise (core/repository.ts, 6) is given by row locks: compare-and-set updates, the profile
// claim (FOR UPDATE SKIP LOCKED), the open order locked while it is moved, outbox claims.
import type pg from 'pg';
import type { SmdpRepository, SmdpTransaction, StorageHealth, TestInstanceStore } from '../../core/repository.js';
import type { SecretSealer } from '../../core/secretSealer.js';
import { applyPgMigrations, createPgPool, inPgTransaction, pgSchemaVersion, withPgClient } from '@zkesim/rsp-server';
import { pgMigrations } from './migrations.js';

import { PgTransaction, defaultOutboxClaimMs } from './pgTransaction.js';
import { PgSessionStore } from './pgSessions.js';
import type { DownloadSessionStore, SessionLimits } from '../../core/downloadSession.js';

export interface PostgresOptions {
  /** postgresql://user:password@host:port/database[?sslmode=verify-full&sslrootcert=…] */
  url: string;
  maxConnections?: number;
  /** How long a claimed outbox entry stays with this process (pgTransaction.ts); default 60 s. */
  outboxClaimMs?: number;
  sealer: SecretSealer;
  onIdleError?: (error: Error) => void;
}

export class PostgresRepository implements SmdpRepository, TestInstanceStore {
  private closed = false;

  private constructor(
    readonly pool: pg.Pool,
    private readonly sealer: SecretSealer,
    private readonly outboxClaimMs: number,
  ) {}

  /** Connects, migrates and checks the sealer's key against the store's (SealedValueError if another key). */
  static async open(options: PostgresOptions): Promise<PostgresRepository> {
    // Pipelined: BEGIN with a transaction's first statement, the session writes with its COMMIT (pgSessions.ts).
    const pool = createPgPool({ ...options, pipeline: true });
    const repository = new PostgresRepository(pool, options.sealer, options.outboxClaimMs ?? defaultOutboxClaimMs);
    try {
      await withPgClient(pool, (client) => applyPgMigrations(client, pgMigrations));
      await repository.transaction((tx) => (tx as PgTransaction).checkSealer());
      return repository;
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** The ES9+ download sessions in the database, shared by every process on it (pgSessions.ts). */
  sharedDownloadSessions(limits: SessionLimits): DownloadSessionStore {
    return new PgSessionStore(this.pool, limits);
  }

  async health(): Promise<StorageHealth> {
    if (this.closed) throw new Error('PostgreSQL repository is closed');
    return { engine: 'postgres', schemaVersion: await withPgClient(this.pool, (client) => pgSchemaVersion(client)) };
  }

  transaction<T>(work: (tx: SmdpTransaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('PostgreSQL repository is closed'));
    return inPgTransaction(this.pool, (client, tail) => work(new PgTransaction(client, this.sealer, this.outboxClaimMs, tail)));
  }

  resetOrders(at: number): Promise<void> {
    return inPgTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM anchor_records; DELETE FROM profile_activity; DELETE FROM outbox; DELETE FROM orders; DELETE FROM profile_history; DELETE FROM blocked_imeis');
      // An installed profile's Ki and OPc were erased: it can never be served again, so it leaves the inventory.
      await client.query('DELETE FROM profiles WHERE length(ki) = 0');
      await client.query("UPDATE profiles SET state = 'available', updated_at = $1", [at]);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

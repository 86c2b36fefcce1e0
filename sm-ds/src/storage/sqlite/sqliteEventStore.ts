// SQLite (better-sqlite3) implementation of the SM-DS's EventStore, as the SM-DP+'s: WAL journal, schema
// migrations at open, one transaction at a time (BEGIN IMMEDIATE … COMMIT) queued behind a promise chain so
// that async work inside a transaction cannot interleave with another one.
import Database from 'better-sqlite3';
import type { EidDigits } from '@zkesim/protocol';
import type { EventRecord, EventStore, EventTransaction, InsertOutcome, Registrant } from '../../core/eventStore.js';
import { SerialTransactions, applyMigrations } from '@zkesim/rsp-server';
import { preparePrivateFile } from '@zkesim/config';
import { migrations } from './migrations.js';

export interface EventRow {
  eid: string;
  event_id: string;
  rsp_server_address: string;
  registrant_role: string;
  registrant_name: string;
  created_at: number;
  expires_at: number;
  forwarded_event_id: string | null;
}

export function recordOf(row: EventRow): EventRecord {
  return {
    eid: row.eid as EidDigits,
    eventId: row.event_id,
    rspServerAddress: row.rsp_server_address,
    registrant: { role: row.registrant_role as Registrant['role'], name: row.registrant_name },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.forwarded_event_id === null ? {} : { forwardedEventId: row.forwarded_event_id }),
  };
}

class SqliteEventTransaction implements EventTransaction {
  constructor(private readonly db: Database.Database) {}

  async insertEvent(record: EventRecord): Promise<InsertOutcome> {
    const inserted = this.db
      .prepare(
        `INSERT INTO events (eid, event_id, rsp_server_address, registrant_role, registrant_name, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(record.eid, record.eventId, record.rspServerAddress, record.registrant.role, record.registrant.name, record.createdAt, record.expiresAt);
    if (inserted.changes === 1) return 'inserted';
    const existing = await this.getEvent(record.eid, record.eventId, record.registrant);
    return existing !== undefined && existing.rspServerAddress === record.rspServerAddress ? 'identical' : 'conflict';
  }

  async getEvent(eid: EidDigits, eventId: string, registrant: Registrant): Promise<EventRecord | undefined> {
    const row = this.db
      .prepare('SELECT * FROM events WHERE eid = ? AND event_id = ? AND registrant_role = ? AND registrant_name = ?')
      .get(eid, eventId, registrant.role, registrant.name) as EventRow | undefined;
    return row === undefined ? undefined : recordOf(row);
  }

  async deleteEvent(eid: EidDigits, eventId: string, registrant: Registrant): Promise<boolean> {
    const result = this.db
      .prepare('DELETE FROM events WHERE eid = ? AND event_id = ? AND registrant_role = ? AND registrant_name = ?')
      .run(eid, eventId, registrant.role, registrant.name);
    return result.changes === 1;
  }

  async setForwardedEventId(eid: EidDigits, eventId: string, registrant: Registrant, forwardedEventId: string): Promise<void> {
    this.db
      .prepare('UPDATE events SET forwarded_event_id = ? WHERE eid = ? AND event_id = ? AND registrant_role = ? AND registrant_name = ?')
      .run(forwardedEventId, eid, eventId, registrant.role, registrant.name);
  }

  async listEvents(eid: EidDigits, now: number): Promise<EventRecord[]> {
    const rows = this.db.prepare('SELECT * FROM events WHERE eid = ? AND expires_at > ? ORDER BY created_at, rowid').all(eid, now) as EventRow[];
    return rows.map(recordOf);
  }

  async deleteExpired(now: number): Promise<EventRecord[]> {
    const rows = this.db.prepare('DELETE FROM events WHERE expires_at <= ? RETURNING *').all(now) as EventRow[];
    return rows.map(recordOf);
  }

  async countEvents(): Promise<number> {
    return Number((this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n);
  }
}

export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly transactions: SerialTransactions;
  private readonly statements: SqliteEventTransaction;
  private closed = false;

  constructor(path: string) {
    // Event records name EIDs: the file is the SM-DS's alone, 0600 before SQLite opens it, so that its -wal and
    // -shm files are made 0600 too.
    preparePrivateFile(path);
    this.db = new Database(path, { timeout: 5000 });
    this.transactions = new SerialTransactions(this.db);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    applyMigrations(this.db, migrations);
    this.statements = new SqliteEventTransaction(this.db);
  }

  async health(): Promise<{ engine: string; schemaVersion: number }> {
    if (this.closed) throw new Error('SQLite event store is closed');
    return { engine: 'sqlite', schemaVersion: Number(this.db.pragma('user_version', { simple: true })) };
  }

  transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SQLite event store is closed'));
    return this.transactions.run(() => work(this.statements));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.transactions.idle();
    this.db.close();
  }
}

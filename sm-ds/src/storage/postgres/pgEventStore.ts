// PostgreSQL implementation of the SM-DS's EventStore, as the SM-DP+'s store: a pool, migrations of its own
// (recorded in schema_versions), transactions at READ COMMITTED running concurrently. One event per
// registrant, EID and EventID is the primary key, so of concurrent registrations exactly one inserts.
import type pg from 'pg';
import type { EidDigits } from '@zkesim/protocol';
import type { EventRecord, EventStore, EventTransaction, InsertOutcome, Registrant } from '../../core/eventStore.js';
import { applyPgMigrations, createPgPool, inPgTransaction, pgSchemaVersion, withPgClient, type Migration } from '@zkesim/rsp-server';
import { recordOf, type EventRow } from '../sqlite/sqliteEventStore.js';

export const pgEventMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'event records',
    sql: `
      CREATE TABLE events (
        id BIGSERIAL,
        eid TEXT NOT NULL,
        event_id TEXT NOT NULL,
        rsp_server_address TEXT NOT NULL,
        registrant_role TEXT NOT NULL,
        registrant_name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        forwarded_event_id TEXT,
        PRIMARY KEY (eid, event_id, registrant_role, registrant_name)
      );
      CREATE INDEX events_by_expiry ON events(expires_at);
      CREATE INDEX events_by_eid ON events(eid, created_at, id);
    `,
  },
];

const key = 'eid = $1 AND event_id = $2 AND registrant_role = $3 AND registrant_name = $4';

class PgEventTransaction implements EventTransaction {
  constructor(private readonly client: pg.ClientBase) {}

  async insertEvent(record: EventRecord): Promise<InsertOutcome> {
    const inserted = await this.client.query(
      `INSERT INTO events (eid, event_id, rsp_server_address, registrant_role, registrant_name, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [record.eid, record.eventId, record.rspServerAddress, record.registrant.role, record.registrant.name, record.createdAt, record.expiresAt],
    );
    if (inserted.rowCount === 1) return 'inserted';
    const existing = await this.getEvent(record.eid, record.eventId, record.registrant);
    return existing !== undefined && existing.rspServerAddress === record.rspServerAddress ? 'identical' : 'conflict';
  }

  async getEvent(eid: EidDigits, eventId: string, registrant: Registrant): Promise<EventRecord | undefined> {
    const { rows } = await this.client.query<EventRow>(`SELECT * FROM events WHERE ${key}`, [eid, eventId, registrant.role, registrant.name]);
    return rows[0] === undefined ? undefined : recordOf(rows[0]);
  }

  async deleteEvent(eid: EidDigits, eventId: string, registrant: Registrant): Promise<boolean> {
    return (await this.client.query(`DELETE FROM events WHERE ${key}`, [eid, eventId, registrant.role, registrant.name])).rowCount === 1;
  }

  async setForwardedEventId(eid: EidDigits, eventId: string, registrant: Registrant, forwardedEventId: string): Promise<void> {
    await this.client.query(`UPDATE events SET forwarded_event_id = $5 WHERE ${key}`, [eid, eventId, registrant.role, registrant.name, forwardedEventId]);
  }

  async listEvents(eid: EidDigits, now: number): Promise<EventRecord[]> {
    const { rows } = await this.client.query<EventRow>('SELECT * FROM events WHERE eid = $1 AND expires_at > $2 ORDER BY created_at, id', [eid, now]);
    return rows.map(recordOf);
  }

  async deleteExpired(now: number): Promise<EventRecord[]> {
    const { rows } = await this.client.query<EventRow>('DELETE FROM events WHERE expires_at <= $1 RETURNING *', [now]);
    return rows.map(recordOf);
  }

  async countEvents(): Promise<number> {
    const { rows } = await this.client.query<{ n: number }>('SELECT count(*) AS n FROM events');
    return Number(rows[0]?.n ?? 0);
  }
}

export class PgEventStore implements EventStore {
  private closed = false;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(options: { url: string; maxConnections?: number; onIdleError?: (error: Error) => void }): Promise<PgEventStore> {
    const pool = createPgPool(options);
    try {
      await withPgClient(pool, (client) => applyPgMigrations(client, pgEventMigrations));
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgEventStore(pool);
  }

  async health(): Promise<{ engine: string; schemaVersion: number }> {
    if (this.closed) throw new Error('PostgreSQL event store is closed');
    return { engine: 'postgres', schemaVersion: await withPgClient(this.pool, (client) => pgSchemaVersion(client)) };
  }

  transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('PostgreSQL event store is closed'));
    return inPgTransaction(this.pool, (client) => work(new PgEventTransaction(client)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

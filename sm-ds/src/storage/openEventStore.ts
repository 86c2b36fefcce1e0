// Opens the event store the configuration names: SQLite (one process) or PostgreSQL (several processes or
// machines on one database; `url`, else DATABASE_URL).
import type { EventStore } from '../core/eventStore.js';
import { SqliteEventStore } from './sqlite/sqliteEventStore.js';
import { PgEventStore } from './postgres/pgEventStore.js';

export type EventStorageConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url?: string | undefined; maxConnections?: number };

export async function openEventStore(storage: EventStorageConfig, env: NodeJS.ProcessEnv = process.env): Promise<EventStore> {
  if (storage.kind === 'sqlite') return new SqliteEventStore(storage.path);
  const url = storage.url ?? env['DATABASE_URL'];
  if (url === undefined || url === '') throw new Error('storage.kind is postgres but neither storage.url nor DATABASE_URL names the database');
  return PgEventStore.open({ url, ...(storage.maxConnections === undefined ? {} : { maxConnections: storage.maxConnections }) });
}

// Opens the event store the configuration names (SQLite today).
import type { EventStore } from '../core/eventStore.js';
import { SqliteEventStore } from './sqlite/sqliteEventStore.js';

export interface EventStorageConfig {
  kind: 'sqlite';
  path: string;
}

export function openEventStore(storage: EventStorageConfig): EventStore {
  return new SqliteEventStore(storage.path);
}

// Schema migrations for the SM-DS's SQLite store, applied in order; `PRAGMA user_version` records the last
// one (rsp-server's applyMigrations). Never edit a released migration: add a new one.
import type { Migration } from '@zkesim/rsp-server';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'event records',
    sql: `
      CREATE TABLE events (
        eid TEXT NOT NULL,
        event_id TEXT NOT NULL,
        rsp_server_address TEXT NOT NULL,
        registrant_role TEXT NOT NULL,
        registrant_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        forwarded_event_id TEXT,
        -- One event per registrant, EID and EventID: another registrant's EventIDs never collide with these.
        PRIMARY KEY (eid, event_id, registrant_role, registrant_name)
      );
      CREATE INDEX events_by_expiry ON events(expires_at);
    `,
  },
];

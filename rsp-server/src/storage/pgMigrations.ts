// Schema migrations of a server's PostgreSQL store (the SM-DP+'s and the SM-DS's), as schemaMigrations.ts does
// for SQLite: applied in order, each in its own transaction, recorded in a `schema_versions` table (version,
// description, when). Several processes may open one database at once (`smdp serve --workers N`, N machines):
// the whole run holds a transaction-scoped advisory lock, so one of them migrates and the others wait and find
// the work done. Typed structurally, so rsp-server needs no PostgreSQL driver of its own.
import type { Migration } from './schemaMigrations.js';

/** What of a pg client (one connection) the runner uses. */
export interface MigratableConnection {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A fixed key for pg_advisory_xact_lock: "zkesim migrations" (any 64-bit value only this code uses). */
const migrationLockKey = 0x7a6b6573696d;

/** The highest version recorded (0 for an empty database). */
export async function pgSchemaVersion(client: MigratableConnection): Promise<number> {
  const { rows } = await client.query('SELECT coalesce(max(version), 0) AS version FROM schema_versions');
  return Number(rows[0]?.['version'] ?? 0);
}

/** Applies every migration newer than the recorded version; a failing one leaves the database at the one before. */
export async function applyPgMigrations(client: MigratableConnection, migrations: readonly Migration[]): Promise<number> {
  const locked = async (work: () => Promise<void>): Promise<void> => {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
      await work();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
  // Under the lock too: two sessions creating the same table at once would collide on the catalog.
  await locked(async () => {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
  });
  for (const migration of migrations) {
    await locked(async () => {
      if ((await pgSchemaVersion(client)) >= migration.version) return;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_versions (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
    });
  }
  return pgSchemaVersion(client);
}

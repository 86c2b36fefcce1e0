// Schema migrations of a server's SQLite store (the SM-DP+'s and the SM-DS's): applied in order, each in its
// own transaction, with `PRAGMA user_version` recording the last one applied. Never edit a released migration:
// add a new one. Typed structurally, so rsp-server needs no SQLite driver of its own.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** What of a better-sqlite3 Database the runner uses. */
export interface MigratableDatabase {
  pragma(source: string, options: { simple: true }): unknown;
  exec(sql: string): unknown;
  transaction(work: () => void): () => void;
}

/** Applies every migration newer than the database's user_version; a failing one leaves the database at the one before. */
export function applyMigrations(db: MigratableDatabase, migrations: readonly Migration[]): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`, { simple: true });
    })();
  }
}

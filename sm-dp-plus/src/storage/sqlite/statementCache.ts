// Prepared statements kept by their SQL text. better-sqlite3's `prepare` compiles the SQL each time (about
// as costly as running a small statement), and a download runs about twenty statements
// (sm-dp-plus/test/storageStatements.test.ts). The statements are used with run/get/all only (never iterate),
// so one compiled statement can serve every call in turn. The SQL texts are the constants of
// sqliteInventory.ts, sqliteOrders.ts and sqliteTransaction.ts plus the column sets of updateOrder and the parts
// of getOrderWithProfile (rows.ts): bounded, but capped all the same.
import type Database from 'better-sqlite3';

/** What the statement classes need of the connection. */
export type StatementSource = Pick<Database.Database, 'prepare'>;

export function cachedStatements(db: Database.Database, maxEntries = 256): StatementSource {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      if (cache.size >= maxEntries) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  };
  return { prepare: prepare as StatementSource['prepare'] };
}

// The connection pool of a PostgreSQL store (the SM-DP+'s and the SM-DS's): BIGINT columns (times in milliseconds, ids,
// counts) come back as numbers, which stay exact below 2^53; the URL's own parameters (sslmode, sslrootcert,
// sslcert, sslkey) set TLS to the server (SECURITY.md).
import pg from 'pg';

const int8 = 20;

/** pg's type parsers, with int8 as a number (our BIGINTs are milliseconds and ids, far below 2^53). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PgPoolOptions {
  url: string;
  /** Connections of this process (default 10). */
  maxConnections?: number;
  /** Told of an error on an idle connection (the server restarted): the pool drops it and connects anew. */
  onIdleError?: (error: Error) => void;
}

export function createPgPool(options: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10, types, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}

/**
 * Runs `work` in one transaction (READ COMMITTED) on a connection of the pool: COMMIT when it returns,
 * ROLLBACK when it throws. A connection whose rollback fails too (the server went away) is discarded.
 */
export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

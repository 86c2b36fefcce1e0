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

/** Statement names by SQL text, shared by every connection of the process (a connection prepares a name once). */
const statementNames = new Map<string, string>();

/**
 * A query as a named prepared statement: each connection parses and plans the SQL text once (the first time
 * it runs it) and afterwards only binds and executes it, which spares the server a parse and a plan per
 * statement and the client the SQL text on the wire. For the fixed statement texts of a store (a bounded set:
 * dynamic parts are column lists, never values); values always travel as parameters.
 */
export function pgStatement(text: string, values: unknown[] = []): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `zk${statementNames.size}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

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
 * Runs `work` on one connection of the pool. A connection the server drops while it is checked out (a restart,
 * a failover) emits an error that pg's pool no longer listens for: it is caught here, the work fails with it,
 * and the connection is discarded instead of crashing the process.
 */
/** Connections whose ROLLBACK failed: gone, never handed out again. */
const broken = new WeakSet<pg.PoolClient>();

export async function withPgClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error): void => {
    lost = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    lost ??= isConnectionLoss(error) ? (error as Error) : undefined;
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(lost ?? (broken.has(client) ? new Error('connection lost during a transaction') : undefined));
  }
}

/** Errors after which a connection cannot be used again (the server or the network ended it). */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    !(error instanceof Error) ||
    /Connection terminated|connection.*(closed|ended)|ECONNRESET|EPIPE/i.test(error.message) ||
    (typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03'))
  );
}

/**
 * Runs `work` in one transaction (READ COMMITTED) on a connection of the pool: COMMIT when it returns,
 * ROLLBACK when it throws. A connection whose rollback fails too (the server went away) is discarded.
 */
export function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withPgClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A failed rollback means the connection is gone: withPgClient discards it.
      await client.query('ROLLBACK').catch(() => broken.add(client));
      throw error;
    }
  });
}

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
  /**
   * pg's pipeline mode: a statement goes on the wire when it is issued, not after the previous one's answer,
   * so inPgTransaction sends BEGIN with the transaction's first statement, and statements issued together
   * (PgCommitTail) travel together: one round trip instead of several. Each keeps its own Sync, so an error
   * still fails only its statement (and, inside a transaction, the statements after it).
   */
  pipeline?: boolean;
}

export function createPgPool(options: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    types,
    connectionTimeoutMillis: 10_000,
    ...(options.pipeline === true ? { pipeline: true } : {}),
  });
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
 * Statements a transaction sends together with its COMMIT (pipeline mode: in the same round trip), for writes
 * whose outcome the transaction's work does not wait for. `send` issues the statement at once and returns its
 * result, which settles before the transaction does; if it fails, the transaction rolls back and fails with
 * its error. A write that matched no row does not undo the transaction: the caller decides what that means.
 */
export class PgCommitTail {
  readonly #client: pg.ClientBase;
  readonly #sent: Promise<unknown>[] = [];

  constructor(client: pg.ClientBase) {
    this.#client = client;
  }

  /** `failed` turns the statement's error into the one the transaction and the returned promise fail with. */
  send<R extends pg.QueryResultRow>(statement: pg.QueryConfig, failed: (error: unknown) => unknown = (error) => error): Promise<pg.QueryResult<R>> {
    const result = this.#client.query<R>(statement).catch((error: unknown) => {
      throw failed(error);
    });
    // Awaited by inPgTransaction; never an unhandled rejection when the work fails first.
    this.#sent.push(result.catch((error: unknown) => ({ failed: error })));
    return result;
  }

  /** The first failure among the sent statements, once all have answered. */
  async failure(): Promise<unknown> {
    for (const outcome of await Promise.all(this.#sent)) if (typeof outcome === 'object' && outcome !== null && 'failed' in outcome) return outcome.failed;
    return undefined;
  }
}

/**
 * Runs `work` in one transaction (READ COMMITTED) on a connection of the pool: COMMIT when it returns,
 * ROLLBACK when it throws. A connection whose rollback fails too (the server went away) is discarded. On a
 * pipelined pool (PgPoolOptions.pipeline) BEGIN goes out with the first statement of `work`, and the
 * statements of `tail` with the COMMIT. A COMMIT that the server answers with ROLLBACK (a statement failed in
 * the transaction and `work` went on) fails with that statement's error, or says so.
 */
export function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient, tail: PgCommitTail) => Promise<T>): Promise<T> {
  return withPgClient(pool, async (client) => {
    const pipelined = (client as { pipeline?: boolean }).pipeline === true;
    const begun = client.query('BEGIN');
    // Pipelined, BEGIN is on the wire already and the first statement follows it in the same round trip; its
    // failure (a dead connection) fails that statement too, and is thrown below.
    if (!pipelined) await begun;
    else begun.catch(() => undefined);
    const tail = new PgCommitTail(client);
    try {
      const result = await work(client, tail);
      await begun;
      const committed = await client.query('COMMIT');
      const failure = await tail.failure();
      if (failure !== undefined) throw failure;
      if (committed.command === 'ROLLBACK') throw new Error('the transaction was rolled back at COMMIT (a statement in it had failed)');
      return result;
    } catch (error) {
      // A failed rollback means the connection is gone: withPgClient discards it.
      await client.query('ROLLBACK').catch(() => broken.add(client));
      throw error;
    }
  });
}

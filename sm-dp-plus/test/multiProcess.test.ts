// `zkesim smdp serve --workers 2` on PostgreSQL: two SM-DP+ processes share the listening ports, the store and
// the download sessions, so the calls of one download are served by different processes (each response names
// its worker) and every download completes. With SQLite, more than one worker is refused. Runs the real
// command (bin/zkesim.js) against the test run's PostgreSQL server.
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, postgresAvailable } from '@zkesim/testing/postgres/testDatabase';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';
import { cleanEnv, downloadAcrossWorkers, repositoryRoot, startWorkers, writeWorkersConfig, type Order, type Workers } from '@zkesim/testing/smdp/workers';
import { run } from '@zkesim/testing/stack/processes';

const downloads = 6;

describe('smdp serve --workers', () => {
  it('refuses more than one worker on SQLite, naming the reason', { timeout: 120_000 }, async () => {
    const pki = createTestPki();
    try {
      const file = writeWorkersConfig(pki, { kind: 'sqlite', path: join(pki.dir, 'smdp.db') }, 1);
      const result = await run(`node bin/zkesim.js smdp serve --workers 2 --config ${file}`, { cwd: repositoryRoot, env: cleanEnv(), timeoutMs: 110_000 });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/--workers 2 needs storage\.kind postgres/);
    } finally {
      pki.cleanup();
    }
  });
});

describe.skipIf(!postgresAvailable())('two SM-DP+ workers on PostgreSQL', () => {
  let pki: TestPki;
  let url: string;
  let workers: Workers;

  beforeAll(async () => {
    pki = createTestPki();
    url = await freshDatabase('smdp_workers');
    workers = await startWorkers(writeWorkersConfig(pki, { kind: 'postgres', url, maxConnections: 4, outboxClaimMs: 60_000 }, downloads), 2);
  }, 240_000);
  afterAll(async () => {
    await workers?.server.interrupt(20_000);
    pki?.cleanup();
  });

  it('serves each download across both processes, with no error and no profile installed twice', { timeout: 120_000 }, async () => {
    const orders: Order[] = [];
    for (let i = 0; i < downloads; i += 1) orders.push(await workers.order(pki, `WORKERS-${i}`));
    const first = await Promise.all(orders.slice(0, 3).map((order) => downloadAcrossWorkers(workers.es9Url, pki.ciNist, order)));
    const rest = await Promise.all(orders.slice(3).map((order) => downloadAcrossWorkers(workers.es9Url, pki.ciNist, order)));
    const servedBy = [...first, ...rest];
    expect(new Set(servedBy.flat())).toEqual(new Set(['1', '2']));
    // Downloads whose four calls were answered by more than one process.
    expect(servedBy.filter((served) => new Set(served).size > 1).length).toBeGreaterThan(0);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const installed = await client.query<{ iccid: string; n: number }>(
        "SELECT iccid, count(*)::int AS n FROM profile_history WHERE to_state = 'installed' GROUP BY iccid",
      );
      expect(installed.rows.map((row) => row.iccid).sort()).toEqual(orders.map((order) => order.iccid).sort());
      expect(installed.rows.every((row) => row.n === 1)).toBe(true);
      const open = await client.query("SELECT 1 FROM orders WHERE closed_at IS NULL OR close_reason <> 'installed'");
      expect(open.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});

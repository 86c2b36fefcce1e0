// Faults under load (two `smdp serve` workers on PostgreSQL): one worker SIGKILLed mid-load, and the
// PostgreSQL server restarted mid-load. LPAs retry a failed download as field LPAs do (a new session; a
// bound order is bound again for the same eUICC, SGP.22 §3.1.3). Afterwards every order is installed, no
// profile is installed twice, and every ES2+ notification the store queued reached the operator (at least
// once, by its functionCallIdentifier). This file runs a PostgreSQL server of its own, since it restarts it.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '@zkesim/testing/postgres/testDatabase';
import { createDatabase, startPostgresServer, type PostgresServer } from '@zkesim/testing/postgres/server';
import { startCallbackServer, type CallbackServer } from '@zkesim/testing/smdp/callbackServer';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';
import { downloadAcrossWorkers, startWorkersOnFreePorts, type Order, type Workers } from '@zkesim/testing/smdp/workers';

const perRound = 10;

describe.skipIf(!postgresAvailable())('faults under load: two SM-DP+ workers on PostgreSQL', () => {
  let server: PostgresServer;
  let url: string;
  let pki: TestPki;
  let callbacks: CallbackServer;
  let workers: Workers;

  beforeAll(async () => {
    server = await startPostgresServer();
    url = await createDatabase(server.adminUrl, 'smdp_faults');
    pki = createTestPki();
    callbacks = await startCallbackServer(pki);
    // Fixed ports, as in production: a listening socket whose every worker died is opened anew on the same port.
    const callbackUrl = callbacks.url;
    workers = await startWorkersOnFreePorts(pki, { kind: 'postgres', url, maxConnections: 4, outboxClaimMs: 3000 }, 2 * perRound, (config) => {
      const operator = config.es2.operators[0];
      if (operator !== undefined) operator.callbackUrl = callbackUrl;
      config.outbox = { ...config.outbox, pollIntervalMs: 200, requestTimeoutMs: 2000 };
    }, 2);
  }, 240_000);
  afterAll(async () => {
    await workers?.server.interrupt(20_000);
    await callbacks?.close();
    pki?.cleanup();
    await server?.stop();
  });

  async function query<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  }

  /** Downloads with retries (a new session each time) until done or the order is no longer downloadable. */
  async function downloadWithRetries(order: Order, failures: string[]): Promise<void> {
    for (let attempt = 0; attempt < 30; attempt += 1) {
      try {
        await downloadAcrossWorkers(workers.es9Url, pki.ciNist, order, 5000);
        return;
      } catch (error) {
        failures.push(`${order.matchingId}: ${(error as Error).message.slice(0, 200)}`);
        await sleep(300);
      }
    }
  }

  /** Runs the orders 3 at a time; `fault` starts once the first download is done. */
  async function load(orders: Order[], fault: () => Promise<void>): Promise<string[]> {
    const failures: string[] = [];
    let done = 0;
    let faulted: Promise<void> | undefined;
    const queue = [...orders];
    await Promise.all(
      [1, 2, 3].map(async () => {
        for (let order = queue.shift(); order !== undefined; order = queue.shift()) {
          await downloadWithRetries(order, failures);
          done += 1;
          if (done === 1) faulted = fault();
        }
      }),
    );
    await faulted;
    return failures;
  }

  /** Every order installed once, and every queued notification delivered and received. */
  async function expectConsistent(orders: Order[]): Promise<void> {
    const closed = await query<{ matching_id: string; close_reason: string | null }>('SELECT matching_id, close_reason FROM orders');
    for (const order of orders) expect(closed.find((row) => row.matching_id === order.matchingId)?.close_reason, order.matchingId).toBe('installed');
    const twice = await query("SELECT iccid FROM profile_history WHERE to_state = 'installed' GROUP BY iccid HAVING count(*) > 1");
    expect(twice).toEqual([]);
    for (let waited = 0; waited < 60 && (await query("SELECT 1 FROM outbox WHERE delivered_at IS NULL")).length > 0; waited += 1) await sleep(500);
    const outbox = await query<{ body: string; delivered_at: number | null; dead_at: number | null }>('SELECT body, delivered_at, dead_at FROM outbox');
    expect(outbox.filter((row) => row.delivered_at === null)).toEqual([]);
    const received = new Set(callbacks.received.map((callback) => (callback.body['header'] as { functionCallIdentifier: string }).functionCallIdentifier));
    const queued = outbox.map((row) => (JSON.parse(row.body) as { header: { functionCallIdentifier: string } }).header.functionCallIdentifier);
    expect(queued.filter((id) => !received.has(id))).toEqual([]);
    expect(queued.length).toBeGreaterThanOrEqual(orders.length);
  }

  it('keeps every order installable when one worker is SIGKILLed mid-load, and replaces the worker', { timeout: 180_000 }, async () => {
    const orders: Order[] = [];
    for (let i = 0; i < perRound; i += 1) orders.push(await workers.order(pki, `KILL-${i}`));
    const [victim] = workers.workerPids();
    const failures = await load(orders, async () => {
      process.kill(victim as number, 'SIGKILL');
    });
    console.info(`downloads retried after the kill: ${failures.length}`, failures.slice(0, 5));
    await expectConsistent(orders);
    expect(workers.server.output()).toMatch(/worker \d+ \(pid \d+\) ended \(SIGKILL\); starting another/);
    for (let waited = 0; waited < 60 && workers.workerPids().length < 2; waited += 1) await sleep(250);
    expect(workers.workerPids()).toHaveLength(2);
    expect(workers.workerPids()).not.toContain(victim);
  });

  it('keeps every order installable and every notification delivered across a PostgreSQL restart mid-load', { timeout: 180_000 }, async () => {
    const orders: Order[] = [];
    for (let i = 0; i < perRound; i += 1) orders.push(await workers.order(pki, `RESTART-${i}`));
    const failures = await load(orders, () => server.restart());
    console.info(`downloads retried across the restart: ${failures.length}`, failures.slice(0, 5));
    await expectConsistent(orders);
  });
});

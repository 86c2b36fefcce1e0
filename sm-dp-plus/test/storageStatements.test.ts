// How many statements the SM-DP+ sends its store for each ES9+ call of one download, on SQLite and on
// PostgreSQL (where each statement is a round trip through pg): counted at the drivers (better-sqlite3's
// statements and exec, pg's Client.query; BEGIN and COMMIT included) while a real download runs through the
// HTTPS server. The bounds are what the storage work reached (docs/PERFORMANCE.md); a change that adds
// statements to the download path fails here and has to say why.
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import { statusOf } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { freshDatabase, postgresAvailable } from '@zkesim/testing/postgres/testDatabase';

type Call = 'initiateAuthentication' | 'authenticateClient' | 'getBoundProfilePackage' | 'handleNotification';

/** Every statement the process runs, by SQL text. */
const statements: string[] = [];

function countSqlite(): void {
  const probe = new Database(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<'run' | 'get' | 'all', (...args: unknown[]) => unknown> & { source: string };
  probe.close();
  for (const method of ['run', 'get', 'all'] as const) {
    const original = statementPrototype[method];
    statementPrototype[method] = function (this: { source: string }, ...args: unknown[]) {
      statements.push(this.source);
      return original.apply(this, args);
    };
  }
  const exec = Database.prototype.exec;
  Database.prototype.exec = function (this: Database.Database, sql: string) {
    statements.push(sql);
    return exec.call(this, sql);
  };
}

/**
 * Round trips on PostgreSQL: a statement issued while another of the same connection awaits its answer
 * (pipeline mode: BEGIN with the first statement, the session's write with the COMMIT) shares its round trip.
 */
let roundTrips = 0;

function countPostgres(): void {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  const inFlight = new WeakMap<pg.Client, number>();
  (pg.Client.prototype as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const [config] = args;
    statements.push(typeof config === 'string' ? config : String((config as { text?: unknown }).text));
    const waiting = inFlight.get(this) ?? 0;
    if (waiting === 0) roundTrips += 1;
    inFlight.set(this, waiting + 1);
    const answered = () => inFlight.set(this, (inFlight.get(this) ?? 1) - 1);
    const result = query.apply(this, args);
    if (result instanceof Promise) result.then(answered, answered);
    else answered();
    return result;
  };
}
countSqlite();
countPostgres();

/** The statements of each ES9+ call of one download by the SGP.26 card, with a confirmation code and an operator callback. */
async function downloadCounted(h: Harness, matchingId: string): Promise<{ statements: Record<Call, string[]>; roundTrips: Record<Call, number> }> {
  const iccid = (await h.order({ eid: sgp26Eid, matchingId, confirmationCode: '1357' })) as IccidDigits;
  const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
  const counted: Partial<Record<Call, string[]>> = {};
  const trips: Partial<Record<Call, number>> = {};
  const during = async <T>(call: Call, work: () => Promise<T>): Promise<T> => {
    statements.length = 0;
    roundTrips = 0;
    const result = await work();
    trips[call] = roundTrips;
    // The session sweep and order expiry run every 30 s; their statements are not the download's.
    counted[call] = statements.filter((sql) => !/used_challenges WHERE until|download_sessions WHERE expires_at <=|expires_at <= \S+ ORDER BY expires_at/.test(sql));
    return result;
  };
  expect(statusOf(await during('initiateAuthentication', () => lpa.initiateAuthentication())).status).toBe('Executed-Success');
  await lpa.authenticateServer(matchingId);
  expect(statusOf(await during('authenticateClient', () => lpa.authenticateClient())).status).toBe('Executed-Success');
  await lpa.prepareDownload('1357');
  expect(statusOf(await during('getBoundProfilePackage', () => lpa.getBoundProfilePackage())).status).toBe('Executed-Success');
  expect((await during('handleNotification', () => lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid))))).status).toBe(204);
  expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
  return { statements: counted as Record<Call, string[]>, roundTrips: trips as Record<Call, number> };
}

const engines = [
  {
    name: 'sqlite',
    available: true,
    storage: async () => undefined,
    // BEGIN IMMEDIATE and COMMIT are two of each transaction's; sessions are in memory.
    bounds: { initiateAuthentication: 0, authenticateClient: 4, getBoundProfilePackage: 7, handleNotification: 10 },
    roundTripBounds: undefined,
  },
  {
    name: 'postgres',
    available: postgresAvailable(),
    storage: async () => ({ kind: 'postgres' as const, url: await freshDatabase('smdp_statements'), maxConnections: 4, outboxClaimMs: 60_000 }),
    // Sessions in the database: the challenge recorded with the session's opening in one statement, and a read
    // and a compare-and-set (or the closing) per later call, the latter in the call's transaction.
    bounds: { initiateAuthentication: 1, authenticateClient: 6, getBoundProfilePackage: 8, handleNotification: 9 },
    // Pipelined (pgPool.ts): BEGIN goes with the first statement of a transaction, the session's write with its COMMIT.
    roundTripBounds: { initiateAuthentication: 1, authenticateClient: 4, getBoundProfilePackage: 6, handleNotification: 7 },
  },
];

describe.each(engines)('statements per ES9+ call on $name', (engine) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('stays within the counted bounds for a download with a confirmation code', { timeout: 120_000 }, async (context) => {
    if (!engine.available) return context.skip();
    const storage = await engine.storage();
    h = await startHarness((config) => {
      if (storage !== undefined) config.storage = storage;
      // The outbox worker would add its own statements while the calls run; it delivers after the test.
      config.outbox.pollIntervalMs = 3_600_000;
    }, 1);
    const { statements: counted, roundTrips: trips } = await downloadCounted(h, `STATEMENTS-${engine.name}`);
    const counts = Object.fromEntries(Object.entries(counted).map(([call, sqls]) => [call, sqls.length]));
    console.info(`statements per call on ${engine.name}`, JSON.stringify(counts), engine.roundTripBounds === undefined ? '' : `round trips ${JSON.stringify(trips)}`);
    for (const [call, bound] of Object.entries(engine.bounds)) expect(counts[call], `${call}: ${JSON.stringify(counted[call as Call])}`).toBeLessThanOrEqual(bound);
    for (const [call, bound] of Object.entries(engine.roundTripBounds ?? {})) expect(trips[call as Call], `${call}: ${JSON.stringify(counted[call as Call])}`).toBeLessThanOrEqual(bound);
  });
});

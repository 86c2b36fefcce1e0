// `zkesim smdp serve --workers 2` on PostgreSQL: two SM-DP+ processes share the listening ports, the store and
// the download sessions, so the calls of one download are served by different processes (each response names
// its worker) and every download completes. With SQLite, more than one worker is refused. Runs the real
// command (bin/zkesim.js) against the test run's PostgreSQL server.
import { writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import { BUNDLED_PROFILES_DIRECTORY, type SmdpConfig } from '@zkesim/sm-dp-plus';
import { freshDatabase, postgresAvailable } from '@zkesim/testing/postgres/testDatabase';
import { post, statusOf, type PostResult } from '@zkesim/testing/smdp/https';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';
import { run, startBackground, type Background } from '@zkesim/testing/stack/processes';

const repository = fileURLToPath(new URL('../../', import.meta.url));
const downloads = 6;
/** The environment without SMDP_* variables, so only the config file counts. */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SMDP_')));

function writeConfig(pki: TestPki, storage: SmdpConfig['storage']): string {
  const config = testConfig(pki, (c) => {
    c.storage = storage;
    c.profilesDirectory = BUNDLED_PROFILES_DIRECTORY;
    c.profilesPerTemplate = downloads;
  });
  const file = join(pki.dir, `smdp-${storage.kind}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('smdp serve --workers', () => {
  it('refuses more than one worker on SQLite, naming the reason', async () => {
    const pki = createTestPki();
    try {
      const file = writeConfig(pki, { kind: 'sqlite', path: join(pki.dir, 'smdp.db') });
      const result = await run(`node bin/zkesim.js smdp serve --workers 2 --config ${file}`, { cwd: repository, env, timeoutMs: 60_000 });
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
  let server: Background;
  let urls: { es9: string; es2: string };

  beforeAll(async () => {
    pki = createTestPki();
    url = await freshDatabase('smdp_workers');
    const file = writeConfig(pki, { kind: 'postgres', url, maxConnections: 4 });
    server = startBackground(`node bin/zkesim.js smdp serve --workers 2 --config ${file}`, { cwd: repository, env });
    await server.waitFor('SM-DP+ (2 workers)', 90_000);
    const line = /ES9\+ (\S+) {2}ES2\+ (\S+)/.exec(server.output());
    urls = { es9: line?.[1] ?? '', es2: line?.[2] ?? '' };
  }, 120_000);
  afterAll(async () => {
    await server?.interrupt(20_000);
    pki?.cleanup();
  });

  it('serves each download across both processes, with no error and no profile installed twice', { timeout: 120_000 }, async () => {
    const es2 = (fn: string, body: object) =>
      post(`${urls.es2}/gsma/rsp2/es2plus/${fn}`, JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: fn }, ...body }), {
        ca: pki.ciNist,
        cert: pki.operatorCert,
        key: pki.operatorKey,
      });
    const orders: { matchingId: string; iccid: string }[] = [];
    for (let i = 0; i < downloads; i += 1) {
      const ordered = await es2('downloadOrder', { eid: sgp26Eid, profileType: 'TS48V1-A-UNIQUE' });
      const iccid = String(ordered.json().iccid);
      expect(statusOf(await es2('confirmOrder', { iccid, matchingId: `WORKERS-${i}`, releaseFlag: true })).status).toBe('Executed-Success');
      orders.push({ matchingId: `WORKERS-${i}`, iccid });
    }
    // One connection per request (Node's global agent would keep one alive): the primary hands each new connection
    // to the next worker.
    const download = async (order: { matchingId: string; iccid: string }): Promise<string[]> => {
      const served: string[] = [];
      const check = (fn: string, result: PostResult, status = 200): void => {
        served.push(String(result.headers['x-zkesim-worker']));
        expect(result.status, `${fn}: ${result.text}`).toBe(status);
        if (status === 200) expect(statusOf(result).status, `${fn}: ${result.text}`).toBe('Executed-Success');
      };
      const lpa = TestLpa.direct(urls.es9, pki.ciNist);
      lpa.agent = new Agent({ keepAlive: false });
      check('initiateAuthentication', await lpa.initiateAuthentication());
      await lpa.authenticateServer(order.matchingId);
      check('authenticateClient', await lpa.authenticateClient());
      await lpa.prepareDownload();
      check('getBoundProfilePackage', await lpa.getBoundProfilePackage());
      check('handleNotification', await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(order.iccid as IccidDigits))), 204);
      return served;
    };
    const first = await Promise.all(orders.slice(0, 3).map(download));
    const rest = await Promise.all(orders.slice(3).map(download));
    const servedBy = [...first, ...rest];
    expect(new Set(servedBy.flat())).toEqual(new Set(['1', '2']));
    // Downloads whose four calls were answered by more than one process.
    expect(servedBy.filter((workers) => new Set(workers).size > 1).length).toBeGreaterThan(0);

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

// Identifiers in error messages never reach a log line in full (SECURITY.md, logging): a download whose
// binding loses a compare-and-set to another writer of the same SQLite file (a trigger stands in for the
// other process) fails with StaleState, whose message and stack name the ICCID; the log line of that crash,
// like every other line of the download, shows the ICCID and the EID only as their issuer prefixes.
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { statusOf } from '@zkesim/testing/smdp/https';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';

let h: Harness;
let databasePath = '';
const logLines: string[] = [];

beforeAll(async () => {
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  h = await startHarness(
    (config) => {
      config.logLevel = 'debug';
      if (config.storage.kind === 'sqlite') databasePath = config.storage.path;
    },
    2,
    { logDestination },
  );
});
afterAll(() => h.close());

describe('identifiers in error messages', () => {
  it('a download that fails on a concurrent change logs the ICCID and the EID only as their prefixes', async () => {
    const iccid = await h.order({ eid: sgp26Eid, matchingId: 'REDACT-1' });
    // Another writer moves the profile on first: the binding's "released → downloaded" write matches no row.
    const other = new Database(databasePath);
    other.exec(`CREATE TRIGGER another_writer BEFORE UPDATE OF state ON profiles WHEN OLD.state = 'released' BEGIN SELECT RAISE(IGNORE); END`);
    other.close();
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    await lpa.initiateAuthentication();
    await lpa.authenticateServer('REDACT-1');
    await lpa.authenticateClient();
    await lpa.prepareDownload();
    const bound = await lpa.getBoundProfilePackage();
    expect(statusOf(bound).status).not.toBe('Executed-Success');

    const logs = logLines.join('');
    const crash = logLines.map((line) => JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string; stack?: string } }).find((line) => line.err?.type === 'StaleState');
    expect(crash?.err?.message).toBe(`profile ${iccid.slice(0, 7)}… is no longer in state released`);
    expect(crash?.err?.stack).toContain(`${iccid.slice(0, 7)}…`);
    expect(logs).toContain(`${sgp26Eid.slice(0, 8)}…`);
    expect(logs).not.toContain(iccid);
    expect(logs).not.toContain(sgp26Eid);
  });
});

// Every installation result is anchored, even when the SM-DP+ dies right after committing it: the SM-DP+
// runs as a process of its own, holding anchor records in its store (no drain), completes a download, and
// is killed with SIGKILL once the installation result is acknowledged. The record is in its store and not
// yet in the chain outbox. Started again, the SM-DP+ drains it into the chain outbox, and the anchor worker
// puts it on the bundled chain.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownAnchorEvent, anchorEventId, createAnchorWorker, openAnchorOutbox, openChainStack, resolveChainConfig, systemDeps } from '@zkesim/contracts';
import { iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import { SqliteRepository } from '../src/storage/sqlite/sqliteRepository.js';
import { loadSealer, secretsOf } from '../src/adapters/secrets/keyEncryptionKey.js';
import type { SmdpConfig } from '../src/config.js';
import { BUNDLED_PROFILES_DIRECTORY } from '../src/config.js';
import { post, statusOf } from '@zkesim/testing/smdp/https';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';
import { startBackground, type Background } from '@zkesim/testing/stack/processes';

const repository = fileURLToPath(new URL('../../', import.meta.url));
let pki: TestPki;
let configFile = '';
let databasePath = '';
let chainDir = '';
let running: Background | undefined;
let smdpConfig: SmdpConfig;
/** The store's sealer, with the key the SM-DP+ process generated on its first start. */
const sealer = () => loadSealer(secretsOf(smdpConfig), {});

async function startSmdp(...flags: string[]): Promise<{ es9Url: string; es2Url: string }> {
  running = startBackground(`node bin/run-ts.js testing/src/smdp/smdpProcess.ts ${configFile} ${flags.join(' ')}`, { cwd: repository, env: process.env });
  await running.waitFor('ready ', 60_000);
  const line = /ready (\{.*\})/.exec(running.output())?.[1] ?? '';
  return JSON.parse(line) as { es9Url: string; es2Url: string };
}

beforeAll(() => {
  pki = createTestPki();
  chainDir = join(pki.dir, 'chain');
  databasePath = join(pki.dir, 'smdp', 'smdp.db');
  const config = testConfig(pki, (c) => {
    c.storage = { kind: 'sqlite', path: databasePath };
    c.anchor = { enabled: true, outboxDirectory: chainDir };
    c.profilesDirectory = BUNDLED_PROFILES_DIRECTORY;
    c.profilesPerTemplate = 1;
  });
  smdpConfig = config;
  configFile = join(pki.dir, 'smdp.json');
  writeFileSync(configFile, JSON.stringify(config));
});
afterAll(async () => {
  await running?.interrupt(10_000);
  pki.cleanup();
});

describe('SM-DP+ killed between an installation result and its hand-over to the chain outbox', () => {
  it('keeps the anchor record in its store and drains it after the restart', { timeout: 180_000 }, async () => {
    const urls = await startSmdp('--hold-anchor-records');
    const es2 = (fn: string, body: object) =>
      post(`${urls.es2Url}/gsma/rsp2/es2plus/${fn}`, JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: fn }, ...body }), {
        ca: pki.ciNist,
        cert: pki.operatorCert,
        key: pki.operatorKey,
      });
    const iccid = String((await es2('downloadOrder', { eid: sgp26Eid, profileType: 'TS48V1-A-UNIQUE' })).json().iccid) as IccidDigits;
    expect(statusOf(await es2('confirmOrder', { iccid, matchingId: 'CRASH-1', releaseFlag: true })).status).toBe('Executed-Success');
    const lpa = await TestLpa.create(urls.es9Url, pki.ciNist);
    await lpa.initiateAuthentication();
    await lpa.authenticateServer('CRASH-1');
    await lpa.authenticateClient();
    await lpa.prepareDownload();
    expect(statusOf(await lpa.getBoundProfilePackage()).status).toBe('Executed-Success');
    expect((await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid)))).status).toBe(204);

    const killed = running?.child;
    const exited = new Promise((resolve) => killed?.once('exit', resolve));
    killed?.kill('SIGKILL');
    await exited;

    // The result and its anchor record committed together; the chain outbox has not seen the record.
    const store = new SqliteRepository({ path: databasePath, sealer: sealer() });
    const { order, pending } = await store.transaction(async (tx) => ({ order: await tx.getLatestOrderByIccid(iccid), pending: await tx.pendingAnchorRecords(10) }));
    await store.close();
    expect(order).toMatchObject({ closeReason: 'installed' });
    const eventId = anchorEventId(order?.anchorEventId ?? '');
    expect(pending.map((entry) => entry.eventId)).toEqual([eventId]);
    const chainOutbox = openAnchorOutbox(chainDir, Date.now);
    try {
      expect(() => chainOutbox.status(eventId)).toThrow(UnknownAnchorEvent);

      // Started again (draining as in production), the SM-DP+ hands the record over.
      await startSmdp();
      const restarted = new SqliteRepository({ path: databasePath, sealer: sealer() });
      try {
        for (let attempt = 0; attempt < 100 && (await restarted.transaction((tx) => tx.pendingAnchorRecords(10))).length > 0; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(await restarted.transaction((tx) => tx.pendingAnchorRecords(10))).toEqual([]);
      } finally {
        await restarted.close();
      }
      expect(chainOutbox.status(eventId).state).toBe('pending');

      const chainConfig = resolveChainConfig({});
      const stack = await openChainStack({ dataDir: chainDir, config: chainConfig, deps: systemDeps() });
      try {
        const worker = createAnchorWorker({ outbox: chainOutbox, dataDir: chainDir, rpcUrl: stack.endpoint.rpcUrl, privateKey: stack.endpoint.privateKey, config: chainConfig, deps: systemDeps() });
        expect((await worker.runOnce()).anchoredEvents).toBe(1);
        await worker.stop();
        expect(chainOutbox.status(eventId).state).toBe('anchored');
      } finally {
        await stack.close();
      }
    } finally {
      chainOutbox.close();
    }
  });
});

// Never lose an order: the SM-DP+ is stopped after binding the BPP and started again on the same
// database; the eUICC's installation result still closes the order, and the operator notification
// queued before the restart is delivered after it.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmdpServer, type RunningSmdp } from '../src/main.js';
import { importProfiles } from '../src/inventory/importProfiles.js';
import { systemClock, systemRandom } from '@zkesim/rsp-server';
import { iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import type { SmdpConfig } from '../src/config.js';
import { startCallbackServer, type CallbackServer } from '@zkesim/testing/smdp/callbackServer';
import { profilesDirectory } from '@zkesim/testing/smdp/harness';
import { post, statusOf } from '@zkesim/testing/smdp/https';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { testConfig } from '@zkesim/testing/smdp/testConfig';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';

let pki: TestPki;
let callbacks: CallbackServer;
let config: SmdpConfig;
let smdp: RunningSmdp;

beforeAll(async () => {
  pki = createTestPki();
  callbacks = await startCallbackServer(pki);
  config = testConfig(pki, (c) => {
    const first = c.es2.operators[0];
    if (first !== undefined) first.callbackUrl = callbacks.url;
  });
  smdp = await startSmdpServer(config);
  const files = readdirSync(profilesDirectory)
    .filter((name) => name.startsWith('TS48V1'))
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(`${profilesDirectory}${name}`)) }));
  await importProfiles({ repository: smdp.repository, random: systemRandom, clock: systemClock }, files, 1);
});
afterAll(async () => {
  await smdp.close();
  await callbacks.close();
  pki.cleanup();
});

describe('SM-DP+ restart between binding and the installation result', () => {
  it('records the install and delivers both operator notifications', async () => {
    const es2 = (fn: string, body: object) =>
      post(`${smdp.es2Url}/gsma/rsp2/es2plus/${fn}`, JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: fn }, ...body }), {
        ca: pki.ciNist,
        cert: pki.operatorCert,
        key: pki.operatorKey,
      });
    const iccid = String((await es2('downloadOrder', { eid: sgp26Eid, profileType: 'TS48V1-A-UNIQUE' })).json().iccid) as IccidDigits;
    expect(statusOf(await es2('confirmOrder', { iccid, matchingId: 'RESTART-1', releaseFlag: true })).status).toBe('Executed-Success');
    const lpa = await TestLpa.create(smdp.es9Url, pki.ciNist);
    await lpa.initiateAuthentication();
    await lpa.authenticateServer('RESTART-1');
    await lpa.authenticateClient();
    await lpa.prepareDownload();
    expect(statusOf(await lpa.getBoundProfilePackage()).status).toBe('Executed-Success');
    callbacks.failNext = 100;
    await smdp.outbox.runOnce();

    await smdp.close();
    smdp = await startSmdpServer(config);
    callbacks.failNext = 0;

    const pendingNotification = Buffer.from(lpa.installationResult(true, iccidToBytes(iccid))).toString('base64');
    const notified = await post(`${smdp.es9Url}/gsma/rsp2/es9plus/handleNotification`, JSON.stringify({ pendingNotification }), { ca: pki.ciNist });
    expect(notified.status).toBe(204);
    expect((await smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await smdp.outbox.runOnce();
    expect(callbacks.received.map((c) => c.body.notificationPointId)).toEqual([3, 4]);
  });
});

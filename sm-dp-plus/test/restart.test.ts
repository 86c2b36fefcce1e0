// Never lose an order: the SM-DP+ is stopped after binding the BPP and started again on the same
// database; the eUICC's installation result still closes the order, and the operator notification
// queued before the restart is delivered after it. Sessions live in memory only, the binding in the
// database: a retry and a CancelSession of the bound download work after the restart too.
import { readdirSync, readFileSync } from 'node:fs';
import { globalAgent } from 'node:https';
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
  await importProfiles({ repository: smdp.repository, random: systemRandom, clock: systemClock }, files, 3);
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

describe('SM-DP+ restart between binding and a retry or a cancel (SGP.22 v2.2.2 §3.1.3, §5.6.5)', () => {
  const es2 = (fn: string, body: object) =>
    post(`${smdp.es2Url}/gsma/rsp2/es2plus/${fn}`, JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: fn }, ...body }), {
      ca: pki.ciNist,
      cert: pki.operatorCert,
      key: pki.operatorKey,
    });
  const profileState = async (iccid: IccidDigits) => (await smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state;

  /** An order bound to the SGP.26 card, and the SM-DP+ restarted on the same database. */
  async function boundThenRestarted(matchingId: string): Promise<{ iccid: IccidDigits; lpa: TestLpa }> {
    const iccid = String((await es2('downloadOrder', { eid: sgp26Eid, profileType: 'TS48V1-A-UNIQUE' })).json().iccid) as IccidDigits;
    expect(statusOf(await es2('confirmOrder', { iccid, matchingId, releaseFlag: true })).status).toBe('Executed-Success');
    const lpa = await TestLpa.create(smdp.es9Url, pki.ciNist);
    await lpa.initiateAuthentication();
    await lpa.authenticateServer(matchingId);
    await lpa.authenticateClient();
    await lpa.prepareDownload();
    expect(statusOf(await lpa.getBoundProfilePackage()).status).toBe('Executed-Success');
    // Restarted on the same ES9+ port, as a deployment is: the LPA keeps talking to the same address.
    const es9 = config.es9.map((listener) => ({ ...listener, port: Number(new URL(smdp.es9Url).port) }));
    await smdp.close();
    // The client's kept-alive connections died with the old process.
    globalAgent.destroy();
    smdp = await startSmdpServer({ ...config, es9 });
    return { iccid, lpa };
  }

  it('lets the eUICC retry the bound download in a new session, reusing the package', async () => {
    const { iccid, lpa } = await boundThenRestarted('RESTART-RETRY');
    const firstSmdpOtpk = lpa.initialiseSecureChannel().smdpOtpk;
    await lpa.initiateAuthentication();
    await lpa.authenticateServer('RESTART-RETRY');
    expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
    await lpa.prepareDownload();
    expect(statusOf(await lpa.getBoundProfilePackage()).status).toBe('Executed-Success');
    expect(lpa.initialiseSecureChannel().smdpOtpk).toEqual(firstSmdpOtpk);
    expect(lpa.openBoundProfilePackage().upp.length).toBeGreaterThan(0);
    const pendingNotification = Buffer.from(lpa.installationResult(true, iccidToBytes(iccid))).toString('base64');
    expect((await post(`${smdp.es9Url}/gsma/rsp2/es9plus/handleNotification`, JSON.stringify({ pendingNotification }), { ca: pki.ciNist })).status).toBe(204);
    expect(await profileState(iccid)).toBe('installed');
  });

  it('honours the signed CancelSession of the bound download', async () => {
    const { iccid, lpa } = await boundThenRestarted('RESTART-CANCEL');
    const tid = Buffer.from(lpa.transactionId, 'hex');
    // ES10b.CancelSession (postponed) on the card, which still has the session.
    const cancel = await lpa.es10.send(Uint8Array.from([0xbf, 0x41, tid.length + 5, 0x80, tid.length, ...tid, 0x81, 0x01, 0x01]));
    const result = await lpa.es9('cancelSession', { transactionId: lpa.transactionId, cancelSessionResponse: Buffer.from(cancel).toString('base64') });
    expect(statusOf(result).status).toBe('Executed-Success');
    expect(await profileState(iccid)).toBe('released');
  });
});

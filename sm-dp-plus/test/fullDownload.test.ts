// A complete download through the real HTTPS server, driven by the software eUICC (SGP.22 v2.2.2
// §3.1.3): order by ES2+ over mutual TLS, ES9+ authentication, BPP, installation result, order marked
// installed, operator callback received over mutual TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticateServerResponse, PrepareDownloadResponse, ProfileElement, StoreMetadataRequest, encodeTlv, readTlv, splitTlvs, verifyRaw, iccidToBytes, iccidToProfileHeader, type IccidDigits,
} from '@zkesim/protocol';
import { parseCertificate } from '@zkesim/pki';
import { imsiFromFileContent } from '../src/inventory/personalise.js';
import { statusOf } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { sgp26 } from '@zkesim/testing/smdp/testPki';
import { readFileSync } from 'node:fs';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('full download with the software eUICC', () => {
  it('orders, authenticates, binds, installs, and tells the operator', async () => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'FULL-DOWNLOAD-1', confirmationCode: '4711' })) as IccidDigits;
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);

    const initiated = await lpa.initiateAuthentication();
    expect(statusOf(initiated).status).toBe('Executed-Success');
    const authenticateServer = await lpa.authenticateServer('FULL-DOWNLOAD-1');
    // authenticateResponseOk: the card accepted CERT.DPauth and serverSignature1
    expect(Object.keys(AuthenticateServerResponse.decode(authenticateServer))).toEqual(['authenticateResponseOk']);

    const authenticated = await lpa.authenticateClient();
    expect(statusOf(authenticated).status).toBe('Executed-Success');
    const metadata = StoreMetadataRequest.decode(new Uint8Array(Buffer.from(String(authenticated.json().profileMetadata), 'base64')));
    expect(metadata.iccid).toEqual(iccidToBytes(iccid));

    const prepared = await lpa.prepareDownload('4711');
    // downloadResponseOk: the card accepted CERT.DPpb and smdpSignature2
    expect(Object.keys(PrepareDownloadResponse.decode(prepared))).toEqual(['downloadResponseOk']);
    const bound = await lpa.getBoundProfilePackage();
    expect(statusOf(bound).status).toBe('Executed-Success');

    // smdpSign in BF23 verifies with CERT.DPpb over the BF23 prefix ‖ 5F49 otPK.EUICC (§5.5.1).
    const dpPb = parseCertificate(readFileSync(sgp26('DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der')));
    const bf23 = readTlv(readTlv(lpa.boundProfilePackage).value).value;
    const cardOneTimeKey = lpa.recording.oneTimeKeys.at(-1);
    const tbs = new Uint8Array([...bf23.subarray(0, bf23.length - 67), ...encodeTlv(0x5f49, cardOneTimeKey?.publicPoint ?? new Uint8Array())]);
    expect(verifyRaw(dpPb.publicKey, tbs, lpa.initialiseSecureChannel().smdpSign)).toBe(true);

    const opened = lpa.openBoundProfilePackage();
    expect(opened.storeMetadata).toEqual(new Uint8Array(Buffer.from(String(authenticated.json().profileMetadata), 'base64')));
    const elements = splitTlvs(opened.upp).map((tlv) => ProfileElement.decode(tlv.tlv));
    const header = elements[0];
    expect(header !== undefined && 'header' in header && header.header.iccid).toEqual(iccidToProfileHeader(iccid));
    const profile = await h.smdp.repository.transaction(async (tx) => ({ ...(await tx.getProfile(iccid)), ...(await tx.getProfileSecrets(iccid)) }));
    const usim = elements.find((element) => 'usim' in element);
    const imsiFile = usim !== undefined && 'usim' in usim ? usim.usim['ef-imsi'].find((item) => 'fillFileContent' in item) : undefined;
    expect(imsiFile !== undefined && 'fillFileContent' in imsiFile && imsiFromFileContent(imsiFile.fillFileContent)).toBe(profile?.imsi);
    const aka = elements.find((element) => 'akaParameter' in element);
    const algo = aka !== undefined && 'akaParameter' in aka && 'algoParameter' in aka.akaParameter.algoConfiguration ? aka.akaParameter.algoConfiguration.algoParameter : undefined;
    expect(algo?.key).toEqual(profile?.ki);
    expect(algo?.opc).toEqual(profile?.opc);
    expect(profile?.state).toBe('downloaded');

    const notified = await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid)));
    expect(notified.status).toBe(204);
    expect(notified.text).toBe('');
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
    expect((await h.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccid)))).toBeUndefined();

    await h.smdp.outbox.runOnce();
    const points = h.callbacks.received.filter((c) => c.body.iccid === iccid).map((c) => c.body.notificationPointId);
    expect(points).toEqual([3, 4]);
    const installed = h.callbacks.received.find((c) => c.body.iccid === iccid && c.body.notificationPointId === 4);
    expect(installed?.body).toMatchObject({ eid: sgp26Eid, notificationPointStatus: { status: 'Executed-Success' } });
    expect(installed?.clientCommonName).toBe('operator');
  });
});

describe('installation result after the session is gone', () => {
  it('completes the order from what was stored at binding (session expired or server restarted)', async () => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'AFTER-RESTART-1' })) as IccidDigits;
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    await lpa.initiateAuthentication();
    await lpa.authenticateServer('AFTER-RESTART-1');
    await lpa.authenticateClient();
    await lpa.prepareDownload();
    await lpa.getBoundProfilePackage();
    h.smdp.es9plus.context.sessions.close(new Uint8Array(Buffer.from(lpa.transactionId, 'hex')));
    const forged = lpa.installationResult(true, iccidToBytes(iccid));
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0xff;
    expect((await lpa.handleNotification(forged)).status).toBe(204);
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('downloaded');
    expect((await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid)))).status).toBe(204);
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('installed');
  });
});

describe('installation failure reported by the eUICC', () => {
  it('moves the profile to Error and tells the operator the failure (notification point 4, Failed)', async () => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'INSTALL-FAILS-1' })) as IccidDigits;
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    await lpa.initiateAuthentication();
    await lpa.authenticateServer('INSTALL-FAILS-1');
    await lpa.authenticateClient();
    await lpa.prepareDownload();
    await lpa.getBoundProfilePackage();
    expect((await lpa.handleNotification(lpa.installationResult(false, iccidToBytes(iccid)))).status).toBe(204);
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('error');
    await h.smdp.outbox.runOnce();
    const installation = h.callbacks.received.find((c) => c.body.iccid === iccid && c.body.notificationPointId === 4);
    expect(installation?.body).toMatchObject({ notificationPointStatus: { status: 'Failed' } });
    expect(typeof installation?.body.resultData).toBe('string');
  });
});

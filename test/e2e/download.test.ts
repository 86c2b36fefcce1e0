// SGP.22 §3.1.3 profile download end to end: the LPA library between software eUICCs (real APDUs) and the
// stack's SM-DP+ (real HTTPS with the development CI as the only trust anchor), orders placed over ES2+
// with mutual TLS.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DownloadAborted, Lpa, ProfileInstallationFailed, RspServerClient, ServerUnreachable, downloadProfile, openCard, parseActivationCode } from '@zkesim/lpa-core';
import { registeredIdsOf } from '@zkesim/pki';
import { Es10Channel, RspError, iccidDigits, iccidToDigits } from '@zkesim/protocol';
import { newTestCard } from '@zkesim/testing/stack/cards';
import { startDelayingProxy } from '@zkesim/testing/stack/delayingProxy';
import { useTestStack } from '@zkesim/testing/stack/testStack';
import { cancelOrder, placeOrder } from '@zkesim/apps';

const t = useTestStack();

describe('profile download (SGP.22 §3.1.3)', () => {
  it('downloads the demo order with its activation code over the TCP eUICC and delivers the install notification', async () => {
    const code = parseActivationCode(t.stack.activationCode);
    const card = await openCard({ kind: 'tcp', host: '127.0.0.1', port: t.stack.euicc.port });
    try {
      const steps: string[] = [];
      const lpa = await t.openLpa(card.transport, { progress: (step) => steps.push(step) });
      const result = await lpa.downloadProfile({ smdpAddress: code.smdpAddress, matchingId: code.matchingId });
      expect(iccidToDigits(result.iccid)).toBe(t.stack.order.iccid);
      expect(steps).toEqual([
        'getEuiccChallenge', 'getEuiccInfo1', 'initiateAuthentication', 'authenticateServer', 'authenticateClient',
        'userConsent', 'prepareDownload', 'getBoundProfilePackage', 'loadBoundProfilePackage', 'handleNotification',
      ]);
      expect(result.notifications).toMatchObject([{ event: 'notificationInstall', status: 'removed' }]);
      expect(await lpa.listNotifications()).toEqual([]);
      expect((await lpa.listProfiles()).map((p) => p.iccid)).toContain(t.stack.order.iccid);
      await lpa.close();
    } finally {
      await card.close();
    }
  });

  it('sends hashCc when the order has a confirmation code, asking for it when it was not given', async () => {
    const { card, eid } = newTestCard(t.stack, 101);
    const order = await t.order({ eid, confirmationCode: '4711' });
    let asked = 0;
    const lpa = await t.openLpa(card, { interaction: { askConfirmationCode: async () => { asked += 1; return '4711'; } } });
    const result = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
    expect(asked).toBe(1);
    expect(iccidToDigits(result.iccid)).toBe(order.iccid);
  });

  it('refuses a wrong confirmation code (8.2.7) and cancels the session on the eUICC and the SM-DP+', async () => {
    const { card, eid } = newTestCard(t.stack, 102);
    const order = await t.order({ eid, confirmationCode: '4711' });
    const lpa = await t.openLpa(card);
    const error = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId, confirmationCode: '0000' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadAborted);
    const aborted = error as DownloadAborted;
    expect(aborted.subjectCode).toBe('8.2.7');
    expect(aborted.cancellation?.reason).toBe('postponed');
    expect(aborted.cancellation?.euicc).toBe('cancelled');
    expect(await lpa.listProfiles()).toEqual([]);
    // The order survives a wrong code: the right one still downloads it (the limit is 3 attempts).
    const retried = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId, confirmationCode: '4711' });
    expect(iccidToDigits(retried.iccid)).toBe(order.iccid);
  });

  it('stops with a clear error when a confirmation code is required and nobody can give one', async () => {
    const { card, eid } = newTestCard(t.stack, 103);
    const order = await t.order({ eid, confirmationCode: '1234' });
    const lpa = await t.openLpa(card);
    const error = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadAborted);
    expect((error as Error).message).toMatch(/requires a confirmation code/);
    expect((error as DownloadAborted).cancellation).toMatchObject({ reason: 'postponed', euicc: 'cancelled', smdp: 'cancelled' });
  });

  it('delivers a failed ProfileInstallationResult to the SM-DP+ (§3.1.3.4), then reports bppCommandId and errorReason by name', async () => {
    // A card with 4 KB free refuses the TS.48 profile while loading its elements.
    const { card, eid } = newTestCard(t.stack, 105, { totalMemoryBytes: 4096 });
    const order = await t.order({ eid });
    const steps: string[] = [];
    const lpa = await t.openLpa(card, { progress: (step) => steps.push(step) });
    const error = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileInstallationFailed);
    const failed = error as ProfileInstallationFailed;
    expect(failed.message).toMatch(/loadProfileElements \(5\).*installFailedDueToInsufficientMemoryForProfile \(10\)/);
    expect(failed.notifications).toMatchObject([{ event: 'notificationInstall', status: 'removed' }]);
    expect(steps.at(-1)).toBe('handleNotification');
    expect(await lpa.listNotifications()).toEqual([]);
    // The SM-DP+ learnt of the failure: the order is closed and the profile is in Error.
    const profile = await t.stack.smdp.repository.transaction((tx) => tx.getProfile(iccidDigits(order.iccid)));
    expect(profile?.state).toBe('error');
  });

  it('refuses a cancelled order (ES2+ CancelOrder) with the SM-DP+ status codes', async () => {
    const { card, eid } = newTestCard(t.stack, 104);
    const order = await t.order({ eid });
    await t.cancel({ ...order, eid });
    const lpa = await t.openLpa(card);
    const error = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RspError);
    expect((error as RspError).subjectCode).toBe('8.2.6');
    expect(await lpa.listProfiles()).toEqual([]);
  });

  it('refuses an expired activation code (order lifetime passed on the SM-DP+ clock)', async () => {
    const { card, eid } = newTestCard(t.stack, 105);
    const order = await t.order({ eid });
    t.advanceClock(31 * 24 * 3600 * 1000);
    try {
      const lpa = await t.openLpa(card);
      const error = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RspError);
      // 8.8.5 Download order / 4.10 Time to live expired (SGP.22 §5.6.3 AuthenticateClient error table).
      expect(`${(error as RspError).subjectCode}/${(error as RspError).reasonCode}`).toBe('8.8.5/4.10');
      expect(await lpa.listProfiles()).toEqual([]);
    } finally {
      t.advanceClock(-31 * 24 * 3600 * 1000);
    }
  });

  it('downloads from the eUICC\'s default SM-DP+ address when no address is given', async () => {
    const { card, eid } = newTestCard(t.stack, 108);
    const order = await t.order({ eid });
    const lpa = await t.openLpa(card);
    await expect(lpa.downloadProfile({ matchingId: order.matchingId })).rejects.toThrow(/no default SM-DP\+ address/);
    await lpa.setDefaultSmdpAddress(t.stack.smdpAddress);
    expect((await lpa.configuredAddresses()).defaultDpAddress).toBe(t.stack.smdpAddress);
    const result = await lpa.downloadProfile({ matchingId: order.matchingId });
    expect(iccidToDigits(result.iccid)).toBe(order.iccid);
  });

  it('checks the activation code\'s SM-DP+ OID against CERT.DPauth', async () => {
    const { card, eid } = newTestCard(t.stack, 110);
    const order = await t.order({ eid });
    const lpa = await t.openLpa(card);
    const wrong = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId, smdpOid: '1.2.3.4' }).catch((e: unknown) => e);
    expect((wrong as Error).message).toMatch(/expects SM-DP\+ OID 1\.2\.3\.4, but CERT\.DPauth carries \d/);
    const oid = registeredIdsOf(t.stack.pki.nist.dpauth.certificate)[0];
    const result = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId, ...(oid === undefined ? {} : { smdpOid: oid }) });
    expect(iccidToDigits(result.iccid)).toBe(order.iccid);
  });

  it('forwards an eUICC PrepareDownload error (bad smdpSignature2) to the SM-DP+ and cancels the session', async () => {
    const { card, eid } = newTestCard(t.stack, 111);
    const order = await t.order({ eid });
    const https = { trustedCertificates: [t.ciPem], resolve: { localhost: '127.0.0.1' } };
    class TamperingClient extends RspServerClient {
      override async authenticateClient(body: Parameters<RspServerClient['authenticateClient']>[0]) {
        const answer = await super.authenticateClient(body);
        const signature = Uint8Array.from(answer.smdpSignature2);
        signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
        return { ...answer, smdpSignature2: signature };
      }
    }
    const channel = await Es10Channel.open(card);
    const error = await downloadProfile({ channel, server: (address) => new TamperingClient(address, https) }, { smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadAborted);
    expect((error as Error).message).toMatch(/PrepareDownload failed on the eUICC: invalidSignature \(2\); the SM-DP\+ answered/);
    // The eUICC has already dropped its session after the refusal, and says so.
    expect((error as DownloadAborted).cancellation).toMatchObject({ reason: 'postponed', euicc: expect.stringMatching(/invalidTransactionId/) as unknown });
  });

  it('cancels with reason timeout when the SM-DP+ does not answer GetBoundProfilePackage in time', async () => {
    const { card, eid } = newTestCard(t.stack, 112);
    const order = await t.order({ eid });
    const proxy = await startDelayingProxy(t.stack, t.ciPem, ['/gsma/rsp2/es9plus/getBoundProfilePackage'], 3_000);
    try {
      const lpa = await Lpa.open({ transport: card, https: { trustedCertificates: [t.ciPem], resolve: { localhost: proxy.host }, timeoutMs: 1_000 } });
      const error = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadAborted);
      expect((error as Error).message).toMatch(/no answer within 1000 ms/);
      expect((error as DownloadAborted).cancellation).toMatchObject({ reason: 'timeout', euicc: 'cancelled' });
    } finally {
      await proxy.close();
    }
  });

  it('reports an unreachable SM-DS for discovery', async () => {
    const { card } = newTestCard(t.stack, 109);
    const lpa = await t.openLpa(card);
    const error = await lpa.discover('localhost:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerUnreachable);
    expect((error as Error).message).toMatch(/cannot talk to localhost:1/);
  });

  it('checks the TLS certificate for the SM-DP+ address even when connecting to another IP', async () => {
    const { card } = newTestCard(t.stack, 107);
    const port = t.stack.smdpAddress.split(':')[1] ?? '';
    const lpa = await Lpa.open({ transport: card, https: { trustedCertificates: [t.ciPem], resolve: { 'smdp.example.com': '127.0.0.1' } } });
    const error = await lpa.downloadProfile({ smdpAddress: `smdp.example.com:${port}`, matchingId: 'ANY' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadAborted);
    expect((error as Error).message).toMatch(/smdp\.example\.com/);
    expect((error as Error).message).toMatch(/altnames|Hostname/i);
  });

  it('connects to IP:PORT for HOST:PORT (--resolve), checking the certificate for HOST', async () => {
    const { card } = newTestCard(t.stack, 113);
    const port = t.stack.smdpAddress.split(':')[1] ?? '';
    const reached = async (resolve: Record<string, string>, smdpAddress: string): Promise<DownloadAborted> => {
      const lpa = await Lpa.open({ transport: card, https: { trustedCertificates: [t.ciPem], resolve } });
      const error = await lpa.downloadProfile({ smdpAddress, matchingId: 'ANY' }).catch((e: unknown) => e);
      await lpa.close();
      expect(error).toBeInstanceOf(DownloadAborted);
      return error as DownloadAborted;
    };
    // The activation code names the SM-DP+ without a port (443); the lab server listens elsewhere. It is
    // reached over verified TLS and answers itself: it serves `localhost:PORT`, not the address sent.
    const viaHostAndPort = await reached({ 'localhost:443': `127.0.0.1:${port}` }, 'localhost');
    expect(viaHostAndPort.cause).not.toBeInstanceOf(ServerUnreachable);
    expect(viaHostAndPort.subjectCode).toMatch(/^8\./);
    // Without a port in the key, the entry applies to every port of the host.
    const viaHost = await reached({ localhost: `127.0.0.1:${port}` }, 'localhost:1');
    expect(viaHost.cause).not.toBeInstanceOf(ServerUnreachable);
    expect(viaHost.subjectCode).toMatch(/^8\./);
    // An entry for another port does not apply.
    const otherPort = await reached({ 'localhost:2': `127.0.0.1:${port}` }, 'localhost:1');
    expect(otherPort.cause).toBeInstanceOf(ServerUnreachable);
  });

  it('refuses an SM-DP+ whose TLS certificate does not chain to the configured CI', async () => {
    const { card } = newTestCard(t.stack, 106);
    const sgp26Ci = readFileSync(fileURLToPath(new URL('../../../shared/spec/sgp26/CertificateIssuer/CERT_CI_ECDSA_NIST.pem', import.meta.url)), 'utf8');
    const lpa = await Lpa.open({ transport: card, https: { trustedCertificates: [sgp26Ci], resolve: { localhost: '127.0.0.1' } } });
    const error = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: 'ANY' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadAborted);
    expect((error as DownloadAborted).cause).toBeInstanceOf(ServerUnreachable);
    expect((error as Error).message).toMatch(/certificate/i);
  });
});

describe('ES2+ of the stack accepts the operator only', () => {
  // The development CI issues every server certificate too; before operators were pinned, each of these
  // placed real orders on `npm start`'s ES2+.
  it.each(['dptls', 'dpauth', 'dppb', 'dsauth', 'dstls'])('refuses the %s certificate of the development CI as an operator', async (entity) => {
    const es2 = t.stack.es2;
    const other = { ...es2, cert: es2.cert.replace('operator-client', entity), key: es2.key.replace('operator-client', entity) };
    expect(other.cert).not.toBe(es2.cert);
    await expect(placeOrder(other, { profileType: 'TS48V1-A-UNIQUE' })).rejects.toThrow(/HTTP 403/);
  });

  it("orders with the operator's own certificate", async () => {
    // Another profile type than the downloads of this file, whose failed installations use up TS48V1 profiles.
    const order = await placeOrder(t.stack.es2, { profileType: 'TS48V4-SAIP2-3-NOBERTLV-UNIQUE' });
    expect(order.iccid).toMatch(/^89/);
    // The profile goes back to the inventory the other tests of this file download from.
    await cancelOrder(t.stack.es2, order);
  });
});

// Retries and cancellations of one order (SGP.22 v2.2.2 §3.1.3, §5.6.2, §5.6.3, §5.6.5): a bound but not
// installed package is downloaded again by the eUICC it was bound for, reusing the package when the eUICC
// kept its one-time key and binding again when it did not, within the attempt limit and the order's expiry;
// a cancel that follows the SM-DP+'s own refusal of a confirmation code keeps the order; a cancellation the
// SM-DP+ cannot verify changes nothing. Real HTTPS, the software eUICC signing every message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelSessionReason, PrepareDownloadResponse, SmdpSigned2, iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import { statusOf } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { expireOrders } from '../src/es9plus/orderExpiry.js';

let h: Harness;
let strict: Harness;
let seq = 0;
const nextId = (): string => `RETRY-${(seq += 1)}`;
const unb64 = (text: unknown): Uint8Array => new Uint8Array(Buffer.from(String(text), 'base64'));

beforeAll(async () => {
  h = await startHarness((config) => {
    config.orders.confirmationCodeMaxAttempts = 3;
    config.orders.downloadMaxAttempts = 3;
  }, 12);
  strict = await startHarness((config) => {
    config.orders.cancelAfterRefusedConfirmationCode = 'closeOrder';
  }, 1);
});
afterAll(async () => {
  await h.close();
  await strict.close();
});

const codes = (result: Awaited<ReturnType<TestLpa['es9']>>): string => {
  const { subjectCode, reasonCode } = statusOf(result);
  return `${subjectCode} / ${reasonCode}`;
};
const ok = (result: Awaited<ReturnType<TestLpa['es9']>>): string => statusOf(result).status ?? result.text;

async function profileState(harness: Harness, iccid: string): Promise<string | undefined> {
  return (await harness.smdp.repository.transaction((tx) => tx.getProfile(iccid as IccidDigits)))?.state;
}

/** A new session on `lpa`'s card, authenticated by the SM-DP+ for `matchingId`. */
async function newSession(lpa: TestLpa, matchingId: string): Promise<Awaited<ReturnType<TestLpa['es9']>>> {
  await lpa.initiateAuthentication();
  await lpa.authenticateServer(matchingId);
  return lpa.authenticateClient();
}

/** Runs `lpa` up to a bound package for `matchingId`. */
async function bound(harness: Harness, matchingId: string, confirmationCode?: string): Promise<TestLpa> {
  const lpa = await TestLpa.create(harness.smdp.es9Url, harness.pki.ciNist);
  expect(ok(await newSession(lpa, matchingId))).toBe('Executed-Success');
  await lpa.prepareDownload(confirmationCode);
  expect(ok(await lpa.getBoundProfilePackage())).toBe('Executed-Success');
  return lpa;
}

const bppEuiccOtpkOf = (lpa: TestLpa): Uint8Array | undefined => SmdpSigned2.decode(unb64(lpa.authenticateClientResponse.smdpSigned2)).bppEuiccOtpk;
const euiccOtpkOf = (lpa: TestLpa): Uint8Array => {
  const response = PrepareDownloadResponse.decode(lpa.prepareDownloadResponse);
  if (!('downloadResponseOk' in response)) throw new Error('PrepareDownload failed');
  return response.downloadResponseOk.euiccSigned2.euiccOtpk;
};

/** ES10b.CancelSession on the card (§5.7.14) for the LPA's current transaction, forwarded to ES9+.CancelSession. */
async function cancel(lpa: TestLpa, reason: keyof typeof CancelSessionReason.named, transactionId = lpa.transactionId) {
  const tid = Buffer.from(transactionId, 'hex');
  const signed = await lpa.es10.send(Uint8Array.from([0xbf, 0x41, tid.length + 5, 0x80, tid.length, ...tid, 0x81, 0x01, CancelSessionReason.named[reason]]));
  return lpa.es9('cancelSession', { transactionId, cancelSessionResponse: Buffer.from(signed).toString('base64') });
}

describe('retry of a bound download (§3.1.3)', () => {
  it('reuses the bound package when the eUICC still holds its one-time key', async () => {
    const id = nextId();
    const iccid = await h.order({ matchingId: id });
    const lpa = await bound(h, id);
    const firstKey = euiccOtpkOf(lpa);
    const firstSmdpOtpk = lpa.initialiseSecureChannel().smdpOtpk;
    const keysMade = lpa.recording.oneTimeKeys.length;

    // The LPA lost the package: a new session on the same card.
    expect(ok(await newSession(lpa, id))).toBe('Executed-Success');
    expect(bppEuiccOtpkOf(lpa)).toEqual(firstKey);
    await lpa.prepareDownload();
    expect(lpa.recording.oneTimeKeys).toHaveLength(keysMade);
    expect(euiccOtpkOf(lpa)).toEqual(firstKey);
    expect(ok(await lpa.getBoundProfilePackage())).toBe('Executed-Success');
    const channel = lpa.initialiseSecureChannel();
    expect(channel.smdpOtpk).toEqual(firstSmdpOtpk);
    expect(Buffer.from(channel.transactionId).toString('hex').toUpperCase()).toBe(lpa.transactionId.toUpperCase());
    expect(lpa.openBoundProfilePackage().upp.length).toBeGreaterThan(0);

    expect((await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(iccid)))).status).toBe(204);
    expect(await profileState(h, iccid)).toBe('installed');
  });

  it('binds again with a new one-time key when the eUICC no longer has the old one', async () => {
    const id = nextId();
    const iccid = await h.order({ matchingId: id });
    const first = await bound(h, id);
    const firstSmdpOtpk = first.initialiseSecureChannel().smdpOtpk;

    // The same eUICC after a reset: same EID and certificate, no one-time key kept.
    const rebooted = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    expect(ok(await newSession(rebooted, id))).toBe('Executed-Success');
    expect(bppEuiccOtpkOf(rebooted)).toEqual(euiccOtpkOf(first));
    await rebooted.prepareDownload();
    expect(euiccOtpkOf(rebooted)).not.toEqual(euiccOtpkOf(first));
    expect(ok(await rebooted.getBoundProfilePackage())).toBe('Executed-Success');
    expect(rebooted.initialiseSecureChannel().smdpOtpk).not.toEqual(firstSmdpOtpk);
    expect(rebooted.openBoundProfilePackage().upp.length).toBeGreaterThan(0);

    // The first session no longer holds the binding: its installation result changes nothing.
    expect((await first.handleNotification(first.installationResult(true, iccidToBytes(iccid)))).status).toBe(204);
    expect(await profileState(h, iccid)).toBe('downloaded');
    expect((await rebooted.handleNotification(rebooted.installationResult(true, iccidToBytes(iccid)))).status).toBe(204);
    expect(await profileState(h, iccid)).toBe('installed');
  });

  it('counts retries against the download attempt limit (8.8.5 / 6.4)', async () => {
    const id = nextId();
    const iccid = await h.order({ matchingId: id });
    const lpa = await bound(h, id);
    expect(ok(await newSession(lpa, id))).toBe('Executed-Success');
    expect(ok(await newSession(lpa, id))).toBe('Executed-Success');
    expect(codes(await newSession(lpa, id))).toBe('8.8.5 / 6.4');
    expect(await profileState(h, iccid)).toBe('error');
  });
});

describe('CancelSession (§5.6.5)', () => {
  it('keeps the order when endUserRejection follows a refused confirmation code, while attempts remain', async () => {
    const id = nextId();
    const iccid = await h.order({ matchingId: id, confirmationCode: '1234' });
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    expect(ok(await newSession(lpa, id))).toBe('Executed-Success');
    await lpa.prepareDownload('9999');
    expect(codes(await lpa.getBoundProfilePackage())).toBe('8.2.7 / 3.8');
    expect(ok(await cancel(lpa, 'endUserRejection'))).toBe('Executed-Success');
    expect(await profileState(h, iccid)).toBe('released');

    expect(ok(await newSession(lpa, id))).toBe('Executed-Success');
    await lpa.prepareDownload('1234');
    expect(ok(await lpa.getBoundProfilePackage())).toBe('Executed-Success');
  });

  it('closes the order on that cancel when the policy is closeOrder', async () => {
    const id = nextId();
    const iccid = await strict.order({ matchingId: id, confirmationCode: '1234' });
    const lpa = await TestLpa.create(strict.smdp.es9Url, strict.pki.ciNist);
    expect(ok(await newSession(lpa, id))).toBe('Executed-Success');
    await lpa.prepareDownload('9999');
    expect(codes(await lpa.getBoundProfilePackage())).toBe('8.2.7 / 3.8');
    expect(ok(await cancel(lpa, 'endUserRejection'))).toBe('Executed-Success');
    expect(await profileState(strict, iccid)).toBe('error');
  });

  it('refuses a cancellation it cannot verify, on a session before AuthenticateClient (8.1 / 6.1), and keeps the session', async () => {
    const id = nextId();
    await h.order({ matchingId: id });
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    await lpa.initiateAuthentication();
    await lpa.authenticateServer(id);
    // Signed by the card, but the SM-DP+ has no eUICC certificate yet to verify it with.
    expect(codes(await cancel(lpa, 'endUserRejection'))).toBe('8.1 / 6.1');
    expect(ok(await lpa.authenticateClient())).toBe('Executed-Success');
  });

  it('ignores a cancel from a session that does not hold the binding', async () => {
    const id = nextId();
    const iccid = await h.order({ matchingId: id });
    const early = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    expect(ok(await newSession(early, id))).toBe('Executed-Success');
    await bound(h, id);
    expect(ok(await cancel(early, 'postponed'))).toBe('Executed-Success');
    expect(await profileState(h, iccid)).toBe('downloaded');
  });
});

describe('order expiry (§5.6.3, 8.8.5 / 4.10)', () => {
  it('applies to a bound order: its retry is refused and the profile leaves Downloaded', async () => {
    const id = nextId();
    const iccid = await h.order({ matchingId: id });
    const lpa = await bound(h, id);
    h.advanceClock(31 * 24 * 3600 * 1000);
    expect(codes(await newSession(lpa, id))).toBe('8.8.5 / 4.10');
    expect(await profileState(h, iccid)).toBe('error');
  });

  it('is applied by the sweep to a bound order nobody comes back for', async () => {
    // Orders earlier tests left open expired with the clock moved above.
    await expireOrders(h.smdp.es9plus.context.deps);
    const id = nextId();
    const iccid = await h.order({ matchingId: id });
    await bound(h, id);
    const untouched = await h.order({ matchingId: nextId() });
    expect(await expireOrders(h.smdp.es9plus.context.deps)).toBe(0);
    h.advanceClock(31 * 24 * 3600 * 1000);
    expect(await expireOrders(h.smdp.es9plus.context.deps)).toBe(2);
    expect(await profileState(h, iccid)).toBe('error');
    expect(await profileState(h, untouched)).toBe('error');
    const order = await h.smdp.repository.transaction((tx) => tx.getLatestOrderByIccid(iccid as IccidDigits));
    expect(order?.closedAt).toBeDefined();
    expect(order?.boundProfilePackage).toBeUndefined();
  });
});

// The lab run of issue #12 (items 13-15): the fixtures file test/fixtures/lab-run.yaml (operator-chosen
// ICCIDs and metadata, every kind of lab order) is loaded into a lab-mode SM-DP+ and each order is driven
// through the LPA library (lpa-core's Lpa) into a software eUICC over real HTTPS. Each ends as SGP.22 says:
// the profile and order state at the SM-DP+, and the subject/reason code the LPA got (named by protocol's
// code table, so that a corrected code in the table is what is expected here).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lpa, memoryBppStore, type BppStore } from '@zkesim/lpa-core';
import { BoundProfilePackage, Codes, IconType, ProfileClass, RspError, iccidToDigits, profilePolicyRulesOf, type IccidDigits, type StatusCode } from '@zkesim/protocol';
import type { EuiccCard, Quirks } from '@zkesim/euicc-sim';
import { startLabHarness, type LabHarness } from '@zkesim/testing/smdp/lab';
import { sgp26Card } from '@zkesim/testing/euicc/sgp26Euicc';
import { smdpHost } from '@zkesim/testing/smdp/testPki';

const labFile = fileURLToPath(new URL('../fixtures/lab-run.yaml', import.meta.url));
let h: LabHarness;

beforeAll(async () => {
  h = await startLabHarness(labFile);
}, 60_000);
afterAll(() => h.close());

const iccidOf = (matchingId: string): IccidDigits => {
  const order = h.orders.find((o) => o.matchingId === matchingId);
  if (order === undefined) throw new Error(`the lab file has no order ${matchingId}`);
  return order.iccid;
};

/** One download of `matchingId` by the LPA library into `card` (a fresh SGP.26 card unless given). */
async function download(matchingId: string, options: { quirks?: Partial<Quirks>; card?: EuiccCard; confirmationCode?: string; bppStore?: BppStore } = {}) {
  const card = options.card ?? sgp26Card(options.quirks);
  const lpa = await Lpa.open({ transport: card, ...(options.bppStore === undefined ? {} : { bppStore: options.bppStore }), https: { trustedCertificates: [readFileSync(h.pki.ciNist, 'utf8')], resolve: { [smdpHost]: '127.0.0.1' } } });
  try {
    const result = await lpa.downloadProfile({ smdpAddress: h.address, matchingId, ...(options.confirmationCode === undefined ? {} : { confirmationCode: options.confirmationCode }) });
    return { card, result };
  } finally {
    await lpa.close();
  }
}

/** The subject/reason code a refused download reports. */
async function refusal(matchingId: string, options: Parameters<typeof download>[1] = {}): Promise<StatusCode> {
  const error = await download(matchingId, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RspError);
  return (error as RspError).statusCode;
}

/** The profile state and whether its (latest) order is still open, at the SM-DP+. */
async function ending(matchingId: string) {
  const iccid = iccidOf(matchingId);
  return h.smdp.repository.transaction(async (tx) => {
    const order = await tx.getLatestOrderByIccid(iccid);
    return { profile: (await tx.getProfile(iccid))?.state, order: order?.closedAt === undefined ? 'open' : `closed: ${order.closeReason}` };
  });
}

const code = (status: StatusCode) => `${status.subjectCode} / ${status.reasonCode}`;

describe('lab run: every lab order through the LPA library (issue #12 items 13-15)', () => {
  it('item 13: a 20-digit ICCID with long metadata (icon, test class, notifications) installs as given', async () => {
    // The LPA's store of the received BPP, watched: it drops the BPP once installed.
    const received: Uint8Array[] = [];
    const store = memoryBppStore();
    const bppStore: BppStore = { ...store, save: (download) => (received.push(download.boundProfilePackage), store.save(download)) };
    const { card, result } = await download('LAB-LONG-METADATA', { bppStore });
    expect(iccidToDigits(result.iccid)).toBe('89494499999999900013');
    // The StoreMetadataRequest came in more than one STORE DATA segment (SGP.22 §5.5.3, 1020 bytes each).
    expect(BoundProfilePackage.decode(received[0]!).sequenceOf88.length).toBeGreaterThan(1);
    const installed = card.state.profiles[0];
    expect(installed).toMatchObject({ profileClass: ProfileClass.named.test, iconType: IconType.named.png, serviceProviderName: 'zkesim conformance laboratory 1' });
    expect(installed?.icon).toHaveLength(999);
    expect(installed?.notificationConfigurationInfo.map((n) => n.notificationAddress)).toEqual(['lab-notifications.example.com', 'lab-deletions.example.com']);
    expect(await ending('LAB-LONG-METADATA')).toEqual({ profile: 'installed', order: 'closed: installed' });
  });

  it('items 13 and 15: PPR1, granted by the card, installs with the rule on the card', async () => {
    const { card, result } = await download('LAB-PPR1');
    expect(iccidToDigits(result.iccid)).toBe('8949449999999990021');
    expect(profilePolicyRulesOf(card.state.profiles[0]?.profilePolicyRules)).toEqual(['ppr1']);
    expect(await ending('LAB-PPR1')).toEqual({ profile: 'installed', order: 'closed: installed' });
  });

  it('item 15: PPR3, which the eUICC forbids, is refused before binding (8.2.5 / 4.3); the order stays for another eUICC', async () => {
    expect(code(await refusal('LAB-PPR3'))).toBe(code(Codes.noEligibleProfile));
    expect(code(Codes.noEligibleProfile)).toBe('8.2.5 / 4.3');
    expect(await ending('LAB-PPR3')).toEqual({ profile: 'released', order: 'open' });
  });

  it('item 15: PPR1 for an eUICC whose RAT grants nothing is refused (8.2.5 / 4.3)', async () => {
    expect(code(await refusal('LAB-PPR1-STRICT-CARD', { quirks: { ratGrantsNoPolicyRules: true } }))).toBe('8.2.5 / 4.3');
    expect(await ending('LAB-PPR1-STRICT-CARD')).toEqual({ profile: 'released', order: 'open' });
  });

  it('item 14: an order whose expiry is past is refused as expired and ends in Error', async () => {
    expect(code(await refusal('LAB-EXPIRED'))).toBe(code(Codes.downloadOrderExpired));
    expect(await ending('LAB-EXPIRED')).toMatchObject({ profile: 'error', order: expect.stringMatching(/^closed/) });
  });

  it('item 14: an order whose download attempts are used up is refused (8.8.5 / 6.4) and ends in Error', async () => {
    expect(code(await refusal('LAB-DOWNLOADS-USED'))).toBe(code(Codes.downloadOrderRetriesExceeded));
    expect(code(Codes.downloadOrderRetriesExceeded)).toBe('8.8.5 / 6.4');
    expect(await ending('LAB-DOWNLOADS-USED')).toMatchObject({ profile: 'error', order: expect.stringMatching(/^closed/) });
  });

  it('item 14: an order with its last confirmation code try left ends on a wrong code (8.2.7 / 6.4) in Error', async () => {
    expect(code(await refusal('LAB-CODE-TRIES-USED', { confirmationCode: '9999' }))).toBe(code(Codes.confirmationCodeRetriesExceeded));
    expect(code(Codes.confirmationCodeRetriesExceeded)).toBe('8.2.7 / 6.4');
    expect(await ending('LAB-CODE-TRIES-USED')).toMatchObject({ profile: 'error', order: expect.stringMatching(/^closed/) });
  });

  it('item 14: a confirmed but not released order is refused as not released and stays Confirmed', async () => {
    expect(code(await refusal('LAB-NOT-RELEASED'))).toBe(code(Codes.profileNotReleased));
    expect(await ending('LAB-NOT-RELEASED')).toEqual({ profile: 'confirmed', order: 'open' });
  });

  it('item 14: a reusable order (lab mode) is downloaded again and again, each time installed, and stays downloadable', async () => {
    const iccid = iccidOf('LAB-REUSABLE');
    // More downloads than orders.downloadMaxAttempts (5): a reusable order has no download limit.
    for (let run = 0; run < 6; run += 1) {
      const { result, card } = await download('LAB-REUSABLE');
      expect(iccidToDigits(result.iccid)).toBe(iccid);
      expect(card.state.profiles).toHaveLength(1);
      expect(await ending('LAB-REUSABLE')).toEqual({ profile: 'released', order: 'open' });
    }
    const history = await h.smdp.repository.transaction((tx) => tx.profileHistory(iccid));
    expect(history.filter((change) => change.event === 'installSucceededReusable')).toHaveLength(6);
  }, 60_000);
});

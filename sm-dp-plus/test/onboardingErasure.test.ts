// The onboarding API's erasure over mutual TLS on a real SM-DP+ (SQLite store, real listener): an operator
// reaches only its own subscribers (the link is keyed with its operator id), a repeated request erases nothing,
// and the open order of a subscriber erased before the download drops its identity. The chain side here is the
// group as a set (the port `SubscriberChain`); test/e2e/privacy.test.ts runs the same path on the bundled chain.
// The race tests hold the chain's onboard or revoke open to show the per-reference lock serialising an
// erasure and an onboarding of one reference: the end state is whole either way, never a link without its
// group member or an identity left on an order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walletAddress } from '@zkesim/contracts';
import { iccidDigits } from '@zkesim/protocol';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { post } from '@zkesim/testing/smdp/https';
import { ERASURE_PATH, ONBOARDING_PATH, referenceHash, type SubscriberChain } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'onboarding-erasure-'));
const referenceKey = new Uint8Array(32).fill(7);
const members = new Set<bigint>();
/** A step of the chain a race test holds open: `reached` resolves when the step starts, `release()` lets it go on. */
interface Gate {
  reached: Promise<void>;
  arrive: () => void;
  release: () => void;
  released: Promise<void>;
}
function gate(): Gate {
  let arrive = () => {};
  let release = () => {};
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { reached, arrive, release, released };
}
const gates: { onboard?: Gate; revoke?: Gate } = {};
async function pass(step: Gate | undefined): Promise<void> {
  if (step === undefined) return;
  step.arrive();
  await step.released;
}
const chain: SubscriberChain = {
  chainId: 31337,
  registry: walletAddress(`0x${'ab'.repeat(20)}`),
  subscriberAddress: async (commitment) => walletAddress(`0x${(commitment % 2n ** 160n).toString(16).padStart(40, '0')}`),
  onboard: async (commitment) => {
    await pass(gates.onboard);
    members.add(commitment);
    return chain.subscriberAddress(commitment, undefined);
  },
  isMember: async (commitment) => members.has(commitment),
  revoke: async (commitment) => {
    await pass(gates.revoke);
    members.delete(commitment);
  },
};
let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    (config, { pki }) => {
      // A second operator, with its own client certificate.
      config.es2.operators.push({ operatorId: 'operator-b', pinnedCertificates: [pki.rogueCert], pinnedIssuers: [pki.rogueCa] } as (typeof config.es2.operators)[number]);
    },
    // One profile for the first test, one per onboarding of the race tests.
    4,
    { onboarding: { chain, storePath: join(dir, 'onboarding.db'), referenceKey } },
  );
}, 60_000);

afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(path: string, body: unknown, as: 'a' | 'b' = 'a') {
  const tls = as === 'a' ? { cert: h.pki.operatorCert, key: h.pki.operatorKey } : { cert: h.pki.rogueCert, key: h.pki.rogueKey };
  return post(`${h.smdp.es2Url}${path}`, JSON.stringify(body), { ca: h.pki.ciNist, ...tls, headers: { 'Content-Type': 'application/json' } });
}

describe('onboarding API: eraseSubscriber', () => {
  it("erases only the calling operator's subscriber, once; the open order drops the identity", async () => {
    const onboarded = await call(ONBOARDING_PATH, { kycReference: 'kyc-1', profileType: 'TS48V1-A-UNIQUE' });
    expect(onboarded.status, onboarded.text).toBe(200);
    const { commitment, order } = onboarded.json() as { commitment: string; order: { iccid: string } };
    const hash = referenceHash(referenceKey, 'operator', 'kyc-1');
    const openToken = async () => (await h.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccidDigits(order.iccid))))?.subscriberIdentityToken;
    expect(await openToken()).toBeDefined();

    // Operator B, with the same reference: no link of its own, nothing erased, A's subscriber untouched.
    const other = await call(ERASURE_PATH, { kycReference: 'kyc-1' }, 'b');
    expect(other.status, other.text).toBe(200);
    expect(other.json()).toEqual({ erased: false, revoked: false, activityTagsErased: 0, identityTokensDropped: 0 });
    expect(members.has(BigInt(commitment))).toBe(true);
    expect(h.smdp.onboarding?.get(hash)).toBeDefined();

    // A malformed request names the field.
    const bad = await call(ERASURE_PATH, { kycReference: 'kyc-1', name: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: { field: 'name' } });

    const erased = await call(ERASURE_PATH, { kycReference: 'kyc-1' });
    expect(erased.json()).toEqual({ erased: true, revoked: true, activityTagsErased: 0, identityTokensDropped: 1 });
    expect(members.has(BigInt(commitment))).toBe(false);
    expect(h.smdp.onboarding?.get(hash)).toBeUndefined();
    expect(await openToken()).toBeUndefined();
    // Again: idempotent.
    expect((await call(ERASURE_PATH, { kycReference: 'kyc-1' })).json()).toEqual({ erased: false, revoked: false, activityTagsErased: 0, identityTokensDropped: 0 });
  });
});

describe('onboarding API: eraseSubscriber racing an onboarding of the same reference', () => {
  const hashOf = (kycReference: string) => referenceHash(referenceKey, 'operator', kycReference);
  const openOrder = (iccid: string) => h.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccidDigits(iccid)));
  /** Whether `promise` has settled after the event loop has had time to serve a queued request. */
  async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
    let settled = false;
    void promise.then(() => (settled = true), () => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    return settled;
  }

  it('an erasure sent while the onboarding waits on the chain runs after it, and leaves nothing', async () => {
    gates.onboard = gate();
    const onboarding = call(ONBOARDING_PATH, { kycReference: 'kyc-race-1', profileType: 'TS48V1-A-UNIQUE' });
    await gates.onboard.reached;
    // The order is placed and the link written ('ordered'); the chain's onboard is in flight.
    expect(h.smdp.onboarding?.get(hashOf('kyc-race-1'))?.state).toBe('ordered');
    const erasure = call(ERASURE_PATH, { kycReference: 'kyc-race-1' });
    // The per-reference lock holds the erasure until the onboarding is done.
    expect(await settledSoon(erasure)).toBe(false);
    gates.onboard.release();
    delete gates.onboard;

    const onboarded = await onboarding;
    expect(onboarded.status, onboarded.text).toBe(200);
    const { commitment, order } = onboarded.json() as { commitment: string; order: { iccid: string } };
    const erased = await erasure;
    expect(erased.status, erased.text).toBe(200);
    // It found the onboarded subscriber: in the group (revoked), with the open order's identity token.
    expect(erased.json()).toEqual({ erased: true, revoked: true, activityTagsErased: 0, identityTokensDropped: 1 });
    // Nothing half: no link, no group member, no identity on the order.
    expect(h.smdp.onboarding?.get(hashOf('kyc-race-1'))).toBeUndefined();
    expect(members.has(BigInt(commitment))).toBe(false);
    expect((await openOrder(order.iccid))?.subscriberIdentityToken).toBeUndefined();
  });

  it('an onboarding sent while the erasure waits on the chain runs after it, as a new subscriber that stays', async () => {
    const first = await call(ONBOARDING_PATH, { kycReference: 'kyc-race-2', profileType: 'TS48V1-A-UNIQUE' });
    expect(first.status, first.text).toBe(200);
    const old = first.json() as { commitment: string; order: { iccid: string } };

    gates.revoke = gate();
    const erasure = call(ERASURE_PATH, { kycReference: 'kyc-race-2' });
    await gates.revoke.reached;
    const onboarding = call(ONBOARDING_PATH, { kycReference: 'kyc-race-2', profileType: 'TS48V1-A-UNIQUE' });
    expect(await settledSoon(onboarding)).toBe(false);
    gates.revoke.release();
    delete gates.revoke;

    expect((await erasure).json()).toEqual({ erased: true, revoked: true, activityTagsErased: 0, identityTokensDropped: 1 });
    const again = await onboarding;
    expect(again.status, again.text).toBe(200);
    const fresh = again.json() as { commitment: string; order: { iccid: string } };
    // Not the erased subscriber handed back: a new identity, a new order, in the group, its link stored.
    expect(fresh.commitment).not.toBe(old.commitment);
    expect(fresh.order.iccid).not.toBe(old.order.iccid);
    expect(members.has(BigInt(old.commitment))).toBe(false);
    expect(members.has(BigInt(fresh.commitment))).toBe(true);
    expect(h.smdp.onboarding?.get(hashOf('kyc-race-2'))).toMatchObject({ commitment: fresh.commitment, iccid: fresh.order.iccid, state: 'onboarded' });
    expect((await openOrder(fresh.order.iccid))?.subscriberIdentityToken).toBeDefined();
    expect((await openOrder(old.order.iccid))?.subscriberIdentityToken).toBeUndefined();
  });
});

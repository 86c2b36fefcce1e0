// The onboarding API's erasure over mutual TLS on a real SM-DP+ (SQLite store, real listener): an operator
// reaches only its own subscribers (the link is keyed with its operator id), a repeated request erases nothing,
// and the open order of a subscriber erased before the download drops its identity. The chain side here is the
// group as a set (the port `SubscriberChain`); test/e2e/privacy.test.ts runs the same path on the bundled chain.
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
const chain: SubscriberChain = {
  chainId: 31337,
  registry: walletAddress(`0x${'ab'.repeat(20)}`),
  subscriberAddress: async (commitment) => walletAddress(`0x${(commitment % 2n ** 160n).toString(16).padStart(40, '0')}`),
  onboard: async (commitment) => {
    members.add(commitment);
    return chain.subscriberAddress(commitment, undefined);
  },
  isMember: async (commitment) => members.has(commitment),
  revoke: async (commitment) => {
    members.delete(commitment);
  },
};
let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    (config, { pki }) => {
      // A second operator, with its own client certificate.
      config.es2.operators.push({ operatorId: 'operator-b', pinnedCertificates: [pki.rogueCert] } as (typeof config.es2.operators)[number]);
    },
    2,
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

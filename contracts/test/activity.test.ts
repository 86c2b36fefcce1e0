// The activity log's tags (src/identity/activity.ts): tag i is the identity's Semaphore nullifier for the
// activity scope of i, so a real proof with that scope carries it; tags differ per index and per identity and
// are none of the identity's public values; the record of a profile event encodes under outcome 3.
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { hexlify, toBeHex } from 'ethers';
import { activityScope, activityTag, activityTags, createIdentity, generateIdentityProof, releaseProver } from '../src/identity/index.js';
import { anchorRecordOf, resultText } from '../src/anchor/anchorRecord.js';

describe('activity tags', () => {
  afterAll(releaseProver);

  it('are the nullifiers of real proofs with the activity scope, from the identity or its secret bytes', async () => {
    const secret = new Uint8Array(randomBytes(32));
    const identity = createIdentity(secret);
    const proof = await generateIdentityProof(identity, [createIdentity().commitment, identity.commitment], activityScope(3), 42n);
    expect(hexlify(activityTag(secret, 3))).toBe(toBeHex(BigInt(proof.nullifier), 32));
    expect(activityTag(identity, 3)).toEqual(activityTag(secret, 3));
  }, 60_000);

  it('differ per index and per identity, and are neither the commitment nor the public key', () => {
    const identity = createIdentity();
    const tags = activityTags(identity, 16).map((tag) => hexlify(tag));
    expect(new Set(tags).size).toBe(16);
    expect(activityTags(createIdentity(), 16).map((tag) => hexlify(tag)).some((tag) => tags.includes(tag))).toBe(false);
    const publicValues = [identity.commitment, ...identity.publicKey].map((value) => toBeHex(value, 32));
    expect(tags.some((tag) => publicValues.includes(tag))).toBe(false);
    expect(activityTags(identity, 4, 12).map((tag) => hexlify(tag))).toEqual(tags.slice(12));
  });

  it('refuses an index that is not a uint32', () => {
    expect(() => activityScope(-1)).toThrow(/uint32/);
    expect(() => activityScope(2 ** 32)).toThrow(/uint32/);
  });

  it('anchor a profile event under its tag with outcome 3 and the operation in the result hash', () => {
    const tag = activityTag(createIdentity(), 1);
    const record = anchorRecordOf({
      transactionId: new Uint8Array(16).fill(7),
      subscriber: { activityTag: tag },
      profileType: 'TS48',
      result: { kind: 'profileManagement', operation: 'notificationDisable' },
      occurredAt: 1_790_000_000_000,
    });
    expect(record.outcome).toBe(3);
    expect(record.subscriber).toEqual(tag);
    expect(resultText({ kind: 'profileManagement', operation: 'notificationDisable' })).toBe('profileManagement:notificationDisable');
    expect(() => resultText({ kind: 'profileManagement', operation: 'notificationReboot' as 'notificationEnable' })).toThrow(/operation/);
    expect(() => anchorRecordOf({ transactionId: new Uint8Array(1), subscriber: { activityTag: new Uint8Array(31) }, profileType: 'x', result: { kind: 'successResult' }, occurredAt: 0 })).toThrow(/32 bytes/);
  });
});

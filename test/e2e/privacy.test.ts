// The ZK identity layer's privacy, end to end on the stack with its bundled chain (Anvil) and real proofs:
// - the activity log: installation results and later enable/disable/delete notifications of a profile that
//   carries a subscriber identity are anchored under per-event tags; the subscriber claims an event with a
//   Semaphore proof, which no one else can make, and which does not say which member they are;
// - the privacy split: a generic walk of every table of every store and of every transaction and log on the
//   chain finds no KYC field in our stores, nothing of the identity or the activity in the operator's, only
//   commitments, roots and hashes on the chain, and no store joining a person to an activity;
// - erasure: after the operator's right-to-erasure request nothing left in any store or on the chain ties
//   back to the person.
// The onboarding's API and the operator's component are built elsewhere; here the onboarding is done the
// way they will do it (SubscriberRegistry + setOrderSubscriberIdentity) over stand-in stores.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { hexlify } from 'ethers';
import {
  OUTBOX_FILE,
  SubscriberRegistry,
  activityScope,
  activityTags,
  anchorEventId,
  createIdentity,
  generateIdentityProof,
  openAnchorOutbox,
  openChainStack,
  proveActivity,
  releaseProver,
  resolveChainConfig,
  systemDeps,
  verifyActivityClaim,
  type AnchorProof,
  type ChainStack,
  type Identity,
} from '@zkesim/contracts';
import { eidToBytes, iccidToBytes } from '@zkesim/protocol';
import { newTestCard } from '@zkesim/testing/stack/cards';
import { startTestStack, type TestStack } from '@zkesim/testing/stack/testStack';
import { OperatorKycStore, SqliteOnboardingLinks, type KycRecord } from '@zkesim/testing/privacy/standInStores';

/** One onboarded subscriber as the test knows them (no store holds all of this). */
interface Subscriber {
  kyc: KycRecord;
  secret: Uint8Array;
  identity: Identity;
  eid: string;
  iccid: string;
}

let t: TestStack;
let chain: ChainStack;
let registry: SubscriberRegistry;
let kycStore: OperatorKycStore;
let links: SqliteOnboardingLinks;
const subscribers: Subscriber[] = [];

const paths = () => ({
  smdp: join(t.dataDir, 'smdp', 'smdp.db'),
  outbox: join(t.dataDir, 'chain', OUTBOX_FILE),
  operator: join(t.dataDir, 'operator'),
  onboarding: join(t.dataDir, 'onboarding'),
});

/** The outbox's records under `tag` (what the subscriber looks for; the records are published hashes). */
function eventsUnder(tag: Uint8Array): string[] {
  const db = new Database(paths().outbox, { readonly: true });
  try {
    return (db.prepare('SELECT event_id FROM anchor_event WHERE subscriber = ? ORDER BY seq').all(Buffer.from(tag)) as { event_id: Buffer }[]).map((row) => hexlify(row.event_id));
  } finally {
    db.close();
  }
}

/** Waits until the outbox holds `count` events and all are anchored on chain. */
async function allAnchored(count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const outbox = openAnchorOutbox(join(t.dataDir, 'chain'), Date.now);
    try {
      const backlog = outbox.backlog();
      if (backlog.pendingEvents === 0 && backlog.unanchoredBatches === 0 && backlog.anchoredEvents >= count) return;
    } finally {
      outbox.close();
    }
    if (Date.now() > deadline) throw new Error(`fewer than ${count} events anchored in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function anchorProofOf(eventId: string): AnchorProof {
  const outbox = openAnchorOutbox(join(t.dataDir, 'chain'), Date.now);
  try {
    const proof = outbox.proof(anchorEventId(eventId));
    if (proof === undefined) throw new Error(`event ${eventId} not batched`);
    return proof;
  } finally {
    outbox.close();
  }
}

const acceptsRoot = (proof: Parameters<SubscriberRegistry['verifyOnChain']>[0]) => registry.verifyOnChain(proof).then((verdict) => verdict.groupAccepts);

beforeAll(async () => {
  t = await startTestStack({ chain: true, environment: { CHAIN_ANCHOR_INTERVAL_MS: '200', SMDP_OUTBOX_POLL_INTERVAL_MS: '200' } });
  // The stack's chain is already running: this reuses its node and deployment, with the operator account.
  chain = await openChainStack({ dataDir: join(t.dataDir, 'chain'), config: resolveChainConfig({}), deps: systemDeps() });
  registry = SubscriberRegistry.forClient(chain.client, chain.deployment);
  mkdirSync(paths().operator, { mode: 0o700 });
  mkdirSync(paths().onboarding, { mode: 0o700 });
  kycStore = new OperatorKycStore(join(paths().operator, 'kyc.db'));
  links = new SqliteOnboardingLinks(join(paths().onboarding, 'links.db'));
}, 180_000);

afterAll(async () => {
  kycStore?.close();
  links?.close();
  await releaseProver();
  await chain?.close();
  await t?.close();
});

describe('the activity log', { timeout: 120_000 }, () => {
  it('anchors installation results and profile events under tags the subscriber alone recomputes', async () => {
    const people = [
      { fullName: 'Alice Quintessa Example', birthDate: '1984-02-29', address: '12 Rue des Cerisiers, 75011 Paris', documentNumber: 'X7Q4Z2P91' },
      { fullName: 'Bartholomew Yves Sample', birthDate: '1972-11-03', address: '9 Keizersgracht, 1015 Amsterdam', documentNumber: 'NL55K8R23' },
    ];
    // The onboarding: identities made, commitments onboarded (plus one more member, so the group hides who proves).
    const secrets = people.map(() => new Uint8Array(randomBytes(32)));
    const identities = secrets.map((secret) => createIdentity(secret));
    const onboarded = await registry.onboardMany([...identities.map((identity) => ({ commitment: identity.commitment })), { commitment: createIdentity().commitment }]);
    for (const [index, person] of people.entries()) {
      const identity = identities[index]!;
      const { card, eid } = newTestCard(t.stack, 700 + index);
      const reference = `onb-${randomBytes(8).toString('hex')}`;
      const order = await t.order({
        eid,
        subscriberIdentity: {
          commitment: identity.commitment,
          subscriberContract: onboarded[index]!.subscriber,
          chainId: Number((await chain.client.provider.getNetwork()).chainId),
          registry: chain.deployment.subscriberFactory,
          identitySecret: secrets[index]!,
        },
      });
      kycStore.put({ reference, ...person, iccid: order.iccid });
      links.put({ reference, commitment: identity.commitment, iccids: [order.iccid] });
      subscribers.push({ kyc: { reference, ...person, iccid: order.iccid }, secret: secrets[index]!, identity, eid, iccid: order.iccid });
      // The download (installation result, tag 0), then enable (1), disable (2), enable (3) with their notifications.
      const lpa = await t.openLpa(card);
      await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
      await lpa.enableProfile(order.iccid, { sendNotifications: true });
      await lpa.disableProfile(order.iccid, { sendNotifications: true });
      await lpa.enableProfile(order.iccid, { sendNotifications: true });
    }
    await allAnchored(8);
    for (const subscriber of subscribers) {
      const tags = activityTags(subscriber.secret, 6);
      // One event under each of the first four tags, none under the next ones yet.
      expect(tags.map((tag) => eventsUnder(tag).length)).toEqual([1, 1, 1, 1, 0, 0]);
      // The SM-DP+ keeps the profile's unused tags only (no commitment, no secret).
      const db = new Database(paths().smdp, { readonly: true });
      try {
        const row = db.prepare('SELECT first_index, next_index, length(tags) AS bytes FROM profile_activity WHERE iccid = ?').get(subscriber.iccid);
        expect(row).toEqual({ first_index: 1, next_index: 4, bytes: 63 * 32 });
      } finally {
        db.close();
      }
    }
  });

  it('lets the subscriber claim an event with a proof no other member can make', async () => {
    const [alice, bob] = subscribers as [Subscriber, Subscriber];
    const group = await registry.group();
    const chainRef = { downloadAnchor: chain.deployment.downloadAnchor, runner: chain.client.provider };
    const [disableEvent] = eventsUnder(activityTags(alice.secret, 3)[2]!);
    const anchor = anchorProofOf(disableEvent!);
    expect(anchor.status.state).toBe('anchored');
    const claim = await proveActivity(alice.identity, group, anchor, 2);
    expect(await verifyActivityClaim(claim, chainRef, acceptsRoot)).toEqual({ anchored: true, proofValid: true, tagMatches: true, memberOfGroup: true, owned: true });
    // The proof names the group's root, not Alice: her commitment is nowhere in what the verifier gets.
    const shown = JSON.stringify(claim, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? hexlify(value) : value));
    expect(shown).not.toContain(alice.identity.commitment.toString());
    expect(shown).not.toContain(alice.identity.commitment.toString(16));
    // Bob, a member too, cannot claim Alice's event: his nullifier for that scope is not her tag.
    await expect(proveActivity(bob.identity, group, anchor, 2)).rejects.toThrow(/not this identity's event/);
    const bobs = { eventIndex: 2, anchor, proof: await generateIdentityProof(bob.identity, group, activityScope(2), BigInt(anchor.eventId)) };
    expect(await verifyActivityClaim(bobs, chainRef, acceptsRoot)).toMatchObject({ proofValid: true, tagMatches: false, owned: false });
    // Alice's proof is bound to its event: shown for her other event, it fails.
    const [enableEvent] = eventsUnder(activityTags(alice.secret, 2)[1]!);
    expect(await verifyActivityClaim({ ...claim, anchor: anchorProofOf(enableEvent!) }, chainRef, acceptsRoot)).toMatchObject({ proofValid: false, owned: false });
  });

  it('keeps the tags of one subscriber unlinkable: distinct values, none of them a public value of the identity', () => {
    for (const { identity, secret } of subscribers) {
      const tags = activityTags(secret, 4).map((tag) => hexlify(tag));
      expect(new Set(tags).size).toBe(4);
      const publics = [identity.commitment, ...identity.publicKey].map((value) => `0x${value.toString(16).padStart(64, '0')}`);
      expect(tags.filter((tag) => publics.includes(tag))).toEqual([]);
    }
    // And the chain side never saw an EID or ICCID (checked for every store in the privacy split below).
    expect(eidToBytes(subscribers[0]!.eid).length).toBe(16);
    expect(iccidToBytes(subscribers[0]!.iccid).length).toBe(10);
  });
});

// The ZK identity layer's privacy, end to end on the stack with its bundled chain (Anvil) and real proofs:
// - the activity log: installation results and later enable/disable/delete notifications of a profile that
//   carries a subscriber identity are anchored under per-event tags; the subscriber claims an event with a
//   Semaphore proof, which no one else can make, and which does not say which member they are;
// - the privacy split: a generic walk of every table of every store and of every transaction and log on the
//   chain finds no KYC field in our stores, nothing of the identity or the activity in the operator's, only
//   commitments, roots and hashes on the chain, and no store joining a person to an activity;
// - erasure: after the operator's right-to-erasure request (the operator component through the onboarding API)
//   nothing left in any store or on chain ties back to the person; the erased identity no longer proves.
// The real path throughout: the operator component keeps the KYC record and onboards through the API, the order
// downloads into a software eUICC, whose identity secret the test reads back from the card (as the subscriber's
// device does); the onboarding's link store is the SM-DP+'s own (`<data>/smdp/onboarding.db`).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { hexlify } from 'ethers';
import { onboardingFiles, openOperatorComponent, type OperatorComponent } from '@zkesim/apps';
import {
  OUTBOX_FILE,
  SubscriberRegistry,
  activityMessage,
  activityScope,
  activityTags,
  anchorEventId,
  connectSubscriber,
  createIdentity,
  generateIdentityProof,
  openAnchorOutbox,
  openChainStack,
  proveActivity,
  releaseProver,
  resolveChainConfig,
  proveSubscriberCall,
  systemDeps,
  toSolidityProof,
  verifyActivityClaim,
  type AnchorProof,
  type ChainStack,
  type Identity,
} from '@zkesim/contracts';
import { eidToBytes, iccidDigits, iccidToBytes } from '@zkesim/protocol';
import { newTestCard } from '@zkesim/testing/stack/cards';
import { startTestStack, type TestStack } from '@zkesim/testing/stack/testStack';
import { testProvider } from '@zkesim/testing/chain/nodes';
import { revertOf } from '@zkesim/testing/chain/reverts';
import {
  bytesNeedle, chainCells, fieldNeedle, findNeedles, kindsFound, rawFileCells, sqliteCells, sqliteTables, textNeedle, type Cell, type Finding, type Needle,
} from '@zkesim/testing/privacy/storeWalker';
import type { EuiccCard } from '@zkesim/euicc-sim';

const PROFILE_TYPE = 'TS48V1-A-UNIQUE';

/** A person as the operator's KYC knows them: the values that must never reach our stores or the chain. */
interface Person {
  name: string;
  document: string;
}

/** One onboarded subscriber as the test knows them (no store holds all of this). */
interface Subscriber {
  person: Person;
  /** The operator's KYC reference (what it sent to the onboarding API). */
  reference: string;
  secret: Uint8Array;
  identity: Identity;
  subscriberContract: string;
  eid: string;
  iccid: string;
  card: EuiccCard;
}

let t: TestStack;
let chain: ChainStack;
let registry: SubscriberRegistry;
let operator: OperatorComponent;
const subscribers: Subscriber[] = [];
/** Onboarded through the API but not downloaded: her open order still holds the identity. */
let carol: { person: Person; reference: string; commitment: bigint; iccid: string };

const paths = () => ({
  smdp: join(t.dataDir, 'smdp', 'smdp.db'),
  outbox: join(t.dataDir, 'chain', OUTBOX_FILE),
  operator: join(t.dataDir, 'operator'),
  onboarding: onboardingFiles(t.dataDir).storePath,
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
  // The operator's component, on the KYC store the stack's own demo onboarding used (the same operator).
  const es2 = t.stack.es2;
  operator = openOperatorComponent({
    kycStorePath: join(paths().operator, 'kyc.db'),
    api: { url: es2.url, servername: es2.servername, ca: es2.ca, cert: es2.cert, key: es2.key },
    serviceDataDir: t.dataDir,
  });
}, 180_000);

afterAll(async () => {
  operator?.close();
  await releaseProver();
  await chain?.close();
  await t?.close();
});

describe('the activity log', { timeout: 120_000 }, () => {
  it('anchors installation results and profile events under tags the subscriber alone recomputes', async () => {
    const people: Person[] = [
      { name: 'Alice Quintessa Example', document: 'passport:FR-X7Q4Z2P91' },
      { name: 'Bartholomew Yves Sample', document: 'passport:NL-NL55K8R23' },
    ];
    for (const [index, person] of people.entries()) {
      const { card, eid } = newTestCard(t.stack, 700 + index);
      // The operator records the KYC and calls the onboarding API with the record's reference only.
      const answer = await operator.onboardCustomer(person, { profileType: PROFILE_TYPE, eid });
      // The download (installation result, tag 0), then enable (1), disable (2), enable (3) with their notifications.
      const lpa = await t.openLpa(card);
      await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: answer.order.matchingId });
      await lpa.enableProfile(answer.order.iccid, { sendNotifications: true });
      await lpa.disableProfile(answer.order.iccid, { sendNotifications: true });
      await lpa.enableProfile(answer.order.iccid, { sendNotifications: true });
      // The identity secret exists only on the card (the order's token that carried it is gone with the order).
      const { identitySecret } = await lpa.readSubscriberIdentityWithSecret();
      const identity = createIdentity(identitySecret);
      expect(identity.commitment).toBe(BigInt(answer.commitment));
      subscribers.push({
        person, reference: answer.kycReference, secret: identitySecret, identity, subscriberContract: answer.subscriberContract, eid, iccid: answer.order.iccid, card,
      });
    }
    // A third customer, onboarded and not downloaded yet (so the group of three hides who proves).
    const third = { name: 'Carolina Zed Placeholder', document: 'passport:DE-C01X9QW77' };
    const answer = await operator.onboardCustomer(third, { profileType: PROFILE_TYPE, eid: newTestCard(t.stack, 710).eid });
    carol = { person: third, reference: answer.kycReference, commitment: BigInt(answer.commitment), iccid: answer.order.iccid };
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
    // The verifier's fresh challenge goes into the proof's message.
    const challenge = BigInt(hexlify(randomBytes(32)));
    const claim = await proveActivity(alice.identity, group, anchor, 2, challenge);
    expect(await verifyActivityClaim(claim, challenge, chainRef, acceptsRoot)).toEqual({ anchored: true, proofValid: true, tagMatches: true, memberOfGroup: true, owned: true });
    // Shown to another verifier (another challenge), the same claim fails: it cannot be replayed as someone else's.
    expect(await verifyActivityClaim(claim, challenge + 1n, chainRef, acceptsRoot)).toMatchObject({ proofValid: false, owned: false });
    // The proof names the group's root, not Alice: her commitment is nowhere in what the verifier gets.
    const shown = JSON.stringify(claim, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? hexlify(value) : value));
    expect(shown).not.toContain(alice.identity.commitment.toString());
    expect(shown).not.toContain(alice.identity.commitment.toString(16));
    // Bob, a member too, cannot claim Alice's event: his nullifier for that scope is not her tag.
    await expect(proveActivity(bob.identity, group, anchor, 2, challenge)).rejects.toThrow(/not this identity's event/);
    const bobs = { eventIndex: 2, anchor, proof: await generateIdentityProof(bob.identity, group, activityScope(2), activityMessage(anchor.eventId, challenge)) };
    expect(await verifyActivityClaim(bobs, challenge, chainRef, acceptsRoot)).toMatchObject({ proofValid: true, tagMatches: false, owned: false });
    // Alice's proof is bound to its event: shown for her other event, it fails.
    const [enableEvent] = eventsUnder(activityTags(alice.secret, 2)[1]!);
    expect(await verifyActivityClaim({ ...claim, anchor: anchorProofOf(enableEvent!) }, challenge, chainRef, acceptsRoot)).toMatchObject({ proofValid: false, owned: false });
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

/** What names a person: the KYC fields and the operator's reference to them, and the identity's commitment. */
function personNeedles(person: Person, reference: string, commitment: bigint): Needle[] {
  return [
    textNeedle('kyc', 'name', person.name),
    textNeedle('kyc', 'document', person.document),
    textNeedle('reference', 'KYC reference', reference),
    fieldNeedle('commitment', 'commitment', commitment),
  ];
}

/** What identifies a subscriber, by kind: 'person' (KYC fields, the operator's reference), the identity, the activity. */
function needlesOf(subscriber: Subscriber, eventIds: readonly string[]): Needle[] {
  const { identity } = subscriber;
  return [
    ...personNeedles(subscriber.person, subscriber.reference, identity.commitment),
    bytesNeedle('secret', 'identity secret', subscriber.secret),
    fieldNeedle('secret', 'secret scalar', identity.secretScalar),
    ...activityTags(subscriber.secret, 64).map((tag, index) => bytesNeedle(index < 4 ? 'activity' : 'unusedTag', `activity tag ${index}`, tag)),
    ...eventIds.map((eventId) => bytesNeedle('event', `event ${eventId}`, Buffer.from(eventId.slice(2), 'hex'))),
    textNeedle('eid', 'EID', subscriber.eid, eidToBytes(subscriber.eid)),
    textNeedle('iccid', 'ICCID', subscriber.iccid, iccidToBytes(subscriber.iccid)),
  ];
}

function eventIdsOf(subscriber: Subscriber): string[] {
  return activityTags(subscriber.secret, 4).flatMap((tag) => eventsUnder(tag));
}

/** Every store, walked generically: each table of each SQLite store (and its folder's raw bytes), the chain. */
async function walkStores(): Promise<Record<'smdp' | 'outbox' | 'onboarding' | 'operator' | 'chain', { cells: Cell[]; raw: Cell[] }>> {
  const p = paths();
  // The onboarding's store and key live in the SM-DP+'s folder: its files' bytes are the onboarding's share.
  const smdpRaw = rawFileCells(join(t.dataDir, 'smdp'), 'smdp');
  const isOnboarding = (cell: Cell) => cell.where.includes('/onboarding');
  return {
    smdp: { cells: sqliteCells(p.smdp, 'smdp'), raw: smdpRaw.filter((cell) => !isOnboarding(cell)) },
    outbox: { cells: sqliteCells(p.outbox, 'outbox'), raw: [] },
    onboarding: { cells: sqliteCells(p.onboarding, 'onboarding'), raw: smdpRaw.filter(isOnboarding) },
    operator: { cells: sqliteCells(join(p.operator, 'kyc.db'), 'operator'), raw: rawFileCells(p.operator, 'operator') },
    chain: { cells: await chainCells(testProvider(chain.endpoint.rpcUrl)), raw: [] },
  };
}

const kinds = (findings: readonly Finding[]) => [...kindsFound(findings)].sort();

describe('the privacy split', { timeout: 120_000 }, () => {
  it('walks every table of every store and every transaction and log on chain: each store holds only its share', async () => {
    // The walk is generic: it saw every table, including the ones this layer added.
    expect(sqliteTables(paths().smdp)).toEqual(expect.arrayContaining(['orders', 'profiles', 'anchor_records', 'profile_activity', 'outbox']));
    expect(sqliteTables(paths().outbox)).toEqual(expect.arrayContaining(['anchor_event', 'anchor_batch']));
    const stores = await walkStores();
    const identityContracts = [chain.deployment.subscriberFactory, chain.deployment.semaphore].map((address) => address.toLowerCase());
    for (const subscriber of subscribers) {
      const needles = needlesOf(subscriber, eventIdsOf(subscriber));
      const found = Object.fromEntries(Object.entries(stores).map(([name, store]) => [name, findNeedles(store.cells, needles)])) as Record<keyof typeof stores, Finding[]>;
      // The SM-DP+: EID, ICCID and the profile's activity tags; no KYC, no reference, no identity (secret or commitment).
      expect(kinds(found.smdp)).toEqual(['activity', 'eid', 'event', 'iccid', 'unusedTag']);
      // The chain layer's outbox: hashes and tags only.
      expect(kinds(found.outbox)).toEqual(['activity', 'event']);
      // The onboarding: keyed hash of the reference ↔ commitment ↔ ICCID; no KYC, no reference in clear, no secret,
      // no activity.
      expect(kinds(found.onboarding)).toEqual(['commitment', 'iccid']);
      // The operator: KYC and its reference; no ICCID, no secret, no commitment, no activity.
      expect(kinds(found.operator)).toEqual(['kyc', 'reference']);
      // The chain: the commitment, only in the identity contracts' transactions and logs; Merkle roots, never a
      // tag. An event id shows only as the root of a batch of one (the leaf is the root), in DownloadAnchor's.
      expect(['commitment', 'event']).toEqual(expect.arrayContaining(kinds(found.chain)));
      expect(kinds(found.chain)).toContain('commitment');
      const allowed = { commitment: identityContracts, event: [chain.deployment.downloadAnchor.toLowerCase()] } as Record<string, string[]>;
      const misplaced = found.chain.filter((finding) => !(allowed[finding.kind] ?? []).some((address) => finding.where.toLowerCase().includes(address)));
      expect(misplaced).toEqual([]);
      // No single store joins a person (KYC, reference) or an identity (commitment) to an activity.
      // (On chain an event id is only ever a batch's Merkle root, asserted above: a root names no subscriber.)
      for (const [name, findings] of Object.entries(found)) {
        const has = kindsFound(name === 'chain' ? findings.filter((finding) => finding.kind !== 'event') : findings);
        const person = has.has('kyc') || has.has('reference') || has.has('commitment');
        expect({ store: name, joins: person && (has.has('activity') || has.has('unusedTag') || has.has('event')) }).toEqual({ store: name, joins: false });
      }
      // At rest, byte for byte (deleted rows, WAL, free pages): no secret and no KYC where they do not belong.
      const secrets = needles.filter((needle) => needle.kind === 'secret');
      for (const name of ['smdp', 'onboarding', 'operator'] as const) expect(findNeedles(stores[name].raw, secrets)).toEqual([]);
      const kyc = needles.filter((needle) => needle.kind === 'kyc');
      expect(findNeedles([...stores.smdp.raw, ...stores.onboarding.raw], kyc)).toEqual([]);
    }
  });
});

describe('erasure', { timeout: 120_000 }, () => {
  it("after the operator's right-to-erasure request, nothing in any store or on chain ties back to the person", async () => {
    const [alice, bob] = subscribers as [Subscriber, Subscriber];
    const aliceEvents = eventIdsOf(alice);
    // A proof Alice makes for a call of her subscriber contract while she is a member: the contract would run it.
    const contract = connectSubscriber(alice.subscriberContract, chain.client.provider);
    const call = { target: chain.client.address, value: 0n, data: '0x' };
    const nonce = await contract.proofNonce();
    const chainId = (await chain.client.provider.getNetwork()).chainId;
    const callProof = toSolidityProof(await proveSubscriberCall(alice.identity, { chainId, subscriber: alice.subscriberContract, nonce, ...call }));
    await contract.executeWithProof.staticCall(call.target, call.value, call.data, callProof);

    // The operator asks us through the onboarding API (its component), then deletes its KYC record.
    expect(await operator.eraseCustomer(alice.reference)).toEqual({ erased: true, revoked: true, activityTagsErased: 1, identityTokensDropped: 0, kycRecordErased: true });
    expect(await registry.isMember(alice.identity.commitment)).toBe(false);
    expect(operator.kyc.get(alice.reference)).toBeUndefined();
    // Asking again erases nothing, without an error.
    expect(await operator.eraseCustomer(alice.reference)).toEqual({ erased: false, revoked: false, activityTagsErased: 0, identityTokensDropped: 0, kycRecordErased: false });
    // Her contract refuses the proof she made, and she can make no new one for the group.
    expect(await revertOf(contract.executeWithProof.staticCall(call.target, call.value, call.data, callProof))).toBe('IdentityRevoked');
    await expect(generateIdentityProof(alice.identity, await registry.group(), 1n, 1n)).rejects.toThrow(/not a member/);
    // Carol, onboarded but not downloaded: her open order drops the identity it was to carry.
    expect(await operator.eraseCustomer(carol.reference)).toEqual({ erased: true, revoked: true, activityTagsErased: 0, identityTokensDropped: 1, kycRecordErased: true });
    // Bob is untouched: member, link and KYC record.
    expect(await registry.isMember(bob.identity.commitment)).toBe(true);
    expect(await t.stack.smdp.onboarding?.findLink({ commitment: bob.identity.commitment })).toMatchObject({ iccids: [bob.iccid] });
    expect(operator.kyc.get(bob.reference)).toMatchObject(bob.person);

    // A later event of Alice's profile is still followed by the SM-DP+ but no longer anchored under her identity.
    // (The notification's anchor record would be written in the transaction that applies it, before the 204.)
    const anchorRecords = () => {
      const db = new Database(paths().smdp, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM anchor_records').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = anchorRecords();
    const lpa = await t.openLpa(alice.card);
    const disabled = await lpa.disableProfile(alice.iccid, { sendNotifications: true });
    expect(disabled.notifications).toMatchObject([{ event: 'notificationDisable', status: 'removed' }]);
    expect(anchorRecords()).toBe(before);
    expect(eventsUnder(activityTags(alice.secret, 5)[4]!)).toEqual([]);

    const walked = await walkStores();
    const needles = [...needlesOf(alice, aliceEvents), ...personNeedles(carol.person, carol.reference, carol.commitment)];
    const person = needles.filter((needle) => ['kyc', 'reference', 'commitment', 'secret', 'unusedTag'].includes(needle.kind));
    for (const [name, store] of Object.entries(walked)) {
      const found = findNeedles([...store.cells, ...store.raw], person);
      if (name === 'chain') {
        // The chain keeps the commitment in the identity contracts' history (added, then removed): no store holds
        // it any more, so nothing joins it to a person or to a profile.
        expect(kinds(found)).toEqual(['commitment']);
      } else {
        expect({ store: name, found }).toEqual({ store: name, found: [] });
      }
    }
    // What remains of Alice's activity (past tags and event ids with her EID/ICCID at the SM-DP+, hashes on chain)
    // links to no commitment without her identity secret, which only her eUICC holds.
    for (const name of ['smdp', 'outbox', 'onboarding', 'operator'] as const) {
      expect(kinds(findNeedles(walked[name].cells, needles.filter((needle) => needle.kind === 'commitment' || needle.kind === 'reference' || needle.kind === 'kyc')))).toEqual([]);
    }
    // Carol's open order downloads without the identity now.
    const pending = await t.stack.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccidDigits(carol.iccid)));
    expect(pending).toBeDefined();
    expect(pending?.subscriberIdentityToken).toBeUndefined();
  });
});

describe('a deleted profile', { timeout: 60_000 }, () => {
  it('anchors its delete notification under its next tag and leaves no unused tags behind', async () => {
    const bob = subscribers[1]!;
    const lpa = await t.openLpa(bob.card);
    await lpa.disableProfile(bob.iccid, { sendNotifications: true });
    const deleted = await lpa.deleteProfile(bob.iccid, { sendNotifications: true });
    expect(deleted.notifications).toMatchObject([{ event: 'notificationDelete', status: 'removed' }]);
    await allAnchored(10);
    expect(activityTags(bob.secret, 7).map((tag) => eventsUnder(tag).length)).toEqual([1, 1, 1, 1, 1, 1, 0]);
    const db = new Database(paths().smdp, { readonly: true });
    try {
      expect(db.prepare('SELECT * FROM profile_activity WHERE iccid = ?').get(bob.iccid)).toBeUndefined();
    } finally {
      db.close();
    }
  });
});

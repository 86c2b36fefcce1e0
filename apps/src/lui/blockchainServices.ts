// The LUI's blockchain services for the enabled profile's subscriber identity (ZK identity layer): the identity's
// public part; the activity anchored under it (the activity log of contracts/src/identity/activity.ts), each
// event's Merkle inclusion proof checked here, in the LPA process, off chain (recomputing the leaf from the record
// up to the root) and on chain (DownloadAnchor.verifyRecord against the anchored root); and proofs of membership
// made with `zkesim lpa identity prove`'s code.
//
// Where the records come from: the anchor outbox of the stack's chain folder (<data>/chain, as `zkesim chain
// verify-event` reads it), looked up locally by the identity's activity tags, which only the identity's holder can
// compute, so nothing learns which records are this subscriber's. SPEC-AMBIGUITY (design): a deployment would
// publish each anchored batch's records (hashes only) for devices to download and match the same way.
import { existsSync } from 'node:fs';
import { stackDataDir, stackPaths } from '@zkesim/config';
import {
  ACTIVITY_TAGS_PER_PROFILE, OUTBOX_FILE, activityTags, anchorRecordOf, type AnchorRecord, type ProfileManagementOperation, chainConfigFromEnvironment, openAnchorOutbox, openChainStack, systemDeps, verifyAnchorProof,
  type SemaphoreProof,
} from '@zkesim/contracts';
import { proveWithIdentity } from '../cli/identityProve.js';
import type { CardAccess } from './luiLpa.js';

export interface ActivityView {
  readonly eventId: string;
  /** The event's index in the profile's activity: 0 is the installation result. */
  readonly index: number;
  readonly what: string;
  readonly occurredAt: string;
  readonly state: string;
  readonly root?: string;
  readonly batchNumber?: number;
  readonly proofLength?: number;
  readonly proofMatchesRoot?: boolean;
  readonly acceptedOnChain?: boolean;
}

const OUTCOME_WORDS = ['Profile installed', 'Installation refused by the eSIM chip', 'Download ended by the server', 'Profile enabled, disabled or deleted'];
const OPERATION_WORDS: Record<ProfileManagementOperation, string> = { notificationEnable: 'Profile enabled', notificationDisable: 'Profile disabled', notificationDelete: 'Profile deleted' };

/** A profile event's operation, found by rebuilding the record's resultHash for each (contracts' one rule for it). */
function describeRecord(record: AnchorRecord): string {
  for (const operation of Object.keys(OPERATION_WORDS) as ProfileManagementOperation[]) {
    const candidate = anchorRecordOf({ transactionId: new Uint8Array(1), profileType: '-', result: { kind: 'profileManagement', operation }, occurredAt: 0 });
    if (Buffer.compare(candidate.resultHash, record.resultHash) === 0) return OPERATION_WORDS[operation];
  }
  return OUTCOME_WORDS[record.outcome] ?? 'Event';
}

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}`;

export function chainDirectory(env: Record<string, string | undefined>, cwd: string): string {
  return stackPaths(stackDataDir(env, cwd)).chain;
}

/** The identity's anchored activity with each inclusion proof checked against the chain. */
export async function readActivity(card: CardAccess, env: Record<string, string | undefined>, cwd: string): Promise<ActivityView[]> {
  const { identitySecret } = await card.run((lpa) => lpa.readSubscriberIdentityWithSecret());
  const tags = activityTags(identitySecret, ACTIVITY_TAGS_PER_PROFILE);
  identitySecret.fill(0);
  const dir = chainDirectory(env, cwd);
  if (!existsSync(`${dir}/${OUTBOX_FILE}`)) return [];
  const outbox = openAnchorOutbox(dir, Date.now);
  let events;
  try {
    events = outbox.eventsOfSubscribers(tags);
  } finally {
    outbox.close();
  }
  if (events.length === 0) return [];
  const chain = await openChainStack({ dataDir: dir, config: chainConfigFromEnvironment(env), deps: systemDeps() });
  try {
    const views: ActivityView[] = [];
    for (const event of events) {
      const index = tags.findIndex((tag) => Buffer.compare(tag, event.record.subscriber) === 0);
      const base = {
        eventId: event.status.eventId, index, what: describeRecord(event.record), occurredAt: new Date(Number(event.record.occurredAt) * 1000).toISOString(), state: event.status.state,
      };
      if (event.proof === undefined) {
        views.push(base);
        continue;
      }
      const verdict = await verifyAnchorProof(event.proof, chain.deployment.downloadAnchor, chain.client.provider);
      views.push({
        ...base, root: hex(event.proof.root), batchNumber: verdict.batchNumber, proofLength: event.proof.proof.length,
        proofMatchesRoot: verdict.proofMatchesRoot, acceptedOnChain: verdict.acceptedOnChain,
      });
    }
    return views;
  } finally {
    await chain.close();
  }
}

/** A proof of membership of the subscriber group on chain for `scope` and `message`, as `identity prove` makes it. */
export async function proveMembership(card: CardAccess, flags: { scope: string; message: string }, env: Record<string, string | undefined>, cwd: string): Promise<SemaphoreProof> {
  const identity = await card.run((lpa) => lpa.readSubscriberIdentityWithSecret());
  return proveWithIdentity(identity, { scope: flags.scope, message: flags.message, group: 'chain' }, env, cwd);
}

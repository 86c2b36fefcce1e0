// The activity log: a subscriber's installation result and later profile events (enable, disable, delete) are
// anchored under per-event tags that only the identity's holder can recompute and claim.
//
// Tag of event i = the Semaphore v4 nullifier of the identity for the scope `activityScope(i)`, that is
// Poseidon(hash(scope_i), secretScalar) (the circuit's nullifier). Hence:
// - outsiders (the outbox, the chain) see unrelated field elements: no tag reveals the commitment, and two tags
//   of one subscriber are unlinkable without the secret (Poseidon is a PRF under the secret);
// - the SM-DP+ computes the tags of a profile while its order holds the identity token (installation result),
//   keeps the unused ones for the profile's later events (its ICCID ↔ tag table, no commitment) and forgets the
//   token when the order closes;
// - a claim is a Semaphore proof over the subscriber group with scope = activityScope(i) and message =
//   keccak256(event id ‖ the verifier's challenge): the circuit forces its nullifier to be the maker's tag for i,
//   so a valid proof whose nullifier equals the record's subscriber field shows that the maker holds the identity
//   the event was anchored under; the message binds the proof to that one event and to that one verifier's
//   challenge, so a claim seen by one verifier cannot be replayed to another as someone else's. The verifier learns the event's hashed record, i, and that some
//   member of the group owns it; not which member (the group is the anonymity set).
import { poseidon2 } from 'poseidon-lite/poseidon2';
import { getBytes, hexlify, keccak256, solidityPackedKeccak256, toBeHex, type ContractRunner } from 'ethers';
import { InvalidIdentityProof } from '../errors.js';
import { verifyAnchorProof } from '../anchor/verifyProof.js';
import type { AnchorProof } from '../anchor/anchorOutbox.js';
import { createIdentity, type Identity } from './identity.js';
import { generateIdentityProof, verifyIdentityProof, type Group, type ProofOptions, type SemaphoreProof } from './proofs.js';

/**
 * How many tags the SM-DP+ derives for one profile: the installation result and the next ones for enable,
 * disable and delete. Events beyond are anchored without a subscriber (unclaimable), never under a reused tag.
 * SPEC-AMBIGUITY (design): the SM-DP+ holds the identity only until the order closes, so it cannot derive tags
 * later; 64 covers years of enable/disable on one profile while costing 2 KiB per profile.
 */
export const ACTIVITY_TAGS_PER_PROFILE = 64;

/** Domain of the activity log's scopes; distinct from Subscriber calls' scopes (chain ‖ contract ‖ nonce). */
const ACTIVITY_DOMAIN = 'zkesim-activity-claim';

/** The Semaphore scope of event `index` of a profile's activity (0 = the installation result). */
export function activityScope(index: number): bigint {
  if (!Number.isSafeInteger(index) || index < 0 || index > 0xffffffff) throw new InvalidIdentityProof(`activity index ${index} is not a uint32`);
  return BigInt(solidityPackedKeccak256(['string', 'uint32'], [ACTIVITY_DOMAIN, index]));
}

/** Semaphore's hash of a scope or message into the SNARK field (@semaphore-protocol/proof and Semaphore.sol). */
function fieldHash(value: bigint): bigint {
  return BigInt(keccak256(toBeHex(value, 32))) >> 8n;
}

function identityOf(identity: Identity | Uint8Array): Identity {
  return identity instanceof Uint8Array ? createIdentity(identity) : identity;
}

/**
 * The nullifier a proof of `identity` for `scope` will carry, Poseidon(hash(scope), secretScalar) as the circuit
 * computes it: what a holder knows of its own proofs before making one (an activity tag, a SIP address).
 */
export function identityNullifier(identity: Identity | Uint8Array, scope: bigint): bigint {
  return poseidon2([fieldHash(scope), identityOf(identity).secretScalar]);
}

/** The tag of event `index`: the identity's nullifier for `activityScope(index)`, as the 32 bytes anchored. */
export function activityTag(identity: Identity | Uint8Array, index: number): Uint8Array {
  return getBytes(toBeHex(identityNullifier(identity, activityScope(index)), 32));
}

/** Tags `from` .. `from + count - 1` (the SM-DP+ takes them all at the installation result). */
export function activityTags(identity: Identity | Uint8Array, count: number, from = 0): Uint8Array[] {
  const holder = identityOf(identity);
  return Array.from({ length: count }, (_, offset) => activityTag(holder, from + offset));
}

/** The claim's Semaphore message: the event id and the verifier's challenge (a fresh random number). */
export function activityMessage(eventId: string, challenge: bigint): bigint {
  return BigInt(solidityPackedKeccak256(['bytes32', 'uint256'], [eventId, challenge]));
}

/** What a subscriber hands a verifier to claim an anchored event. */
export interface ActivityClaim {
  /** The event's index in the profile's activity (the scope); found by recomputing tags against the records. */
  eventIndex: number;
  /** The anchored record with its Merkle proof (from the outbox's `proof(eventId)`). */
  anchor: AnchorProof;
  /** Semaphore proof over the subscriber group: scope activityScope(eventIndex), message activityMessage(event id, challenge). */
  proof: SemaphoreProof;
}

/** Makes the claim's proof for the verifier's `challenge`; `group` is the subscriber group (SubscriberRegistry.group()). */
export async function proveActivity(
  identity: Identity,
  group: Group | readonly bigint[],
  anchor: AnchorProof,
  eventIndex: number,
  challenge: bigint,
  options: ProofOptions = {},
): Promise<ActivityClaim> {
  if (hexlify(anchor.record.subscriber) !== hexlify(activityTag(identity, eventIndex))) {
    throw new InvalidIdentityProof(`event ${anchor.eventId} is not this identity's event ${eventIndex}`);
  }
  const proof = await generateIdentityProof(identity, group, activityScope(eventIndex), activityMessage(anchor.eventId, challenge), options);
  return { eventIndex, anchor, proof };
}

export interface ActivityVerdict {
  /** The record is under an anchored root (DownloadAnchor.verifyRecord). */
  anchored: boolean;
  /** The SNARK verifies, its scope is the index's and its message the event id with this verifier's challenge. */
  proofValid: boolean;
  /** The proof's nullifier is the record's subscriber tag. */
  tagMatches: boolean;
  /** The proof's root is the subscriber group's (checked by the caller's `acceptsRoot`, e.g. on chain). */
  memberOfGroup: boolean;
  /** All of the above. */
  owned: boolean;
}

/**
 * Checks a claim against the challenge this verifier gave. `acceptsRoot` says whether a Merkle root is (or recently was) the subscriber group's, e.g.
 * `(proof) => registry.verifyOnChain(proof).then((v) => v.groupAccepts)`, which Semaphore.verifyProof answers
 * within the group's root validity window.
 */
export async function verifyActivityClaim(
  claim: ActivityClaim,
  challenge: bigint,
  chain: { downloadAnchor: string; runner: ContractRunner },
  acceptsRoot: (proof: SemaphoreProof) => Promise<boolean>,
): Promise<ActivityVerdict> {
  const anchored = (await verifyAnchorProof(claim.anchor, chain.downloadAnchor, chain.runner)).acceptedOnChain;
  let proofValid = false;
  try {
    proofValid =
      BigInt(claim.proof.scope) === activityScope(claim.eventIndex) && BigInt(claim.proof.message) === activityMessage(claim.anchor.eventId, challenge) && (await verifyIdentityProof(claim.proof));
  } catch {
    proofValid = false;
  }
  const tagMatches = BigInt(claim.proof.nullifier) === BigInt(hexlify(claim.anchor.record.subscriber));
  const memberOfGroup = proofValid && (await acceptsRoot(claim.proof));
  return { anchored, proofValid, tagMatches, memberOfGroup, owned: anchored && proofValid && tagMatches && memberOfGroup };
}

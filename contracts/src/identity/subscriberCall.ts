// The proof a Subscriber contract without a wallet accepts instead of an owner's signature (Subscriber.sol
// `executeWithProof`): a Semaphore proof over the group of one member, the subscriber's own commitment (a LeanIMT
// with one leaf has that leaf as root, so the proof's Merkle root is the commitment), whose scope binds chain id,
// contract and nonce and whose message binds target, value and calldata. Computed here exactly as the contract
// computes them, so a proof made off chain matches.
import { AbiCoder, keccak256, type BigNumberish, type BytesLike } from 'ethers';
import type { Identity } from './identity.js';
import { generateIdentityProof, type ProofOptions, type SemaphoreProof } from './proofs.js';

/** Subscriber.PROOF_DEPTH. */
export const SUBSCRIBER_PROOF_DEPTH = 1;

const coder = AbiCoder.defaultAbiCoder();

/** Subscriber.proofScope: keccak256(abi.encode(chainId, subscriber, nonce)). */
export function subscriberCallScope(chainId: BigNumberish, subscriber: string, nonce: BigNumberish): bigint {
  return BigInt(keccak256(coder.encode(['uint256', 'address', 'uint256'], [chainId, subscriber, nonce])));
}

/** Subscriber.proofMessage: keccak256(abi.encode(target, value, keccak256(data))). */
export function subscriberCallMessage(target: string, value: BigNumberish, data: BytesLike): bigint {
  return BigInt(keccak256(coder.encode(['address', 'uint256', 'bytes32'], [target, value, keccak256(data)])));
}

export interface SubscriberCall {
  chainId: BigNumberish;
  /** The Subscriber contract's address. */
  subscriber: string;
  /** Its `proofNonce()`. */
  nonce: BigNumberish;
  target: string;
  value: BigNumberish;
  data: BytesLike;
}

/** The proof that lets anyone submit `call` through `executeWithProof` for the subscriber of `identity`. */
export function proveSubscriberCall(identity: Identity, call: SubscriberCall, options: Omit<ProofOptions, 'depth'> = {}): Promise<SemaphoreProof> {
  return generateIdentityProof(
    identity,
    [identity.commitment],
    subscriberCallScope(call.chainId, call.subscriber, call.nonce),
    subscriberCallMessage(call.target, call.value, call.data),
    { ...options, depth: SUBSCRIBER_PROOF_DEPTH },
  );
}

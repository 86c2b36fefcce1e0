// Semaphore v4 identities (@semaphore-protocol/identity): an EdDSA key pair on Baby Jubjub whose commitment,
// Poseidon(public key), is the subscriber's public value on chain. The private key never leaves its holder
// (the LPA keeps it on the eUICC); the stack and the chain see the commitment only.
import { Identity } from '@semaphore-protocol/identity';
import { getAddress, toBeHex } from 'ethers';
import { InvalidIdentityProof, InvalidWalletAddress } from '../errors.js';

export { Identity };

/** BN254's scalar field: every commitment, Merkle root and nullifier is below it. */
export const SNARK_SCALAR_FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** A new random identity, or the one of `privateKey` (what `exportIdentity` returned, or raw key bytes). */
export function createIdentity(privateKey?: string | Uint8Array): Identity {
  if (typeof privateKey === 'string') return Identity.import(privateKey);
  return new Identity(privateKey);
}

/** The identity's private key as base64 text: a secret, to be stored like one (never logged). */
export function exportIdentity(identity: Identity): string {
  return identity.export();
}

/** The identity commitment as the bytes32 the contracts take (`onboard`, `identityCommitment()`). */
export function commitmentBytes32(commitment: bigint | Identity): string {
  const value = commitment instanceof Identity ? commitment.commitment : commitment;
  if (value <= 0n || value >= SNARK_SCALAR_FIELD) throw new InvalidIdentityProof(`commitment ${value} is outside the SNARK field`);
  return toBeHex(value, 32);
}

/**
 * A subscriber's wallet as the contracts take it, checked as EIP-55 says: all-lower or all-upper hex is taken as
 * is (no checksum to check), mixed case must carry the right checksum. Returns the checksummed form.
 */
export function walletAddress(text: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new InvalidWalletAddress('wallet: not a 0x-prefixed 20-byte hex address');
  try {
    return getAddress(text);
  } catch {
    throw new InvalidWalletAddress('wallet: bad EIP-55 checksum (mixed-case address whose letter case does not match its checksum)');
  }
}

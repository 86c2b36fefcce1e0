// Checks an event's proof twice: off-chain (OpenZeppelin StandardMerkleTree, recomputing the leaf from the
// record) and on-chain (DownloadAnchor.verifyRecord, which also requires the root to be anchored).
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { hexlify, type ContractRunner } from 'ethers';
import { connectDownloadAnchor } from '../generated/index.js';
import { eventRecordArgument, recordValues, RECORD_ENCODING } from './anchorRecord.js';
import type { AnchorProof } from './anchorOutbox.js';

export interface ProofVerdict {
  /** The proof links the record to the root (no chain involved). */
  proofMatchesRoot: boolean;
  /** The contract holds the root and accepts the proof. */
  acceptedOnChain: boolean;
  /** On-chain batch number of the root (0 when not anchored). */
  batchNumber: number;
}

export async function verifyAnchorProof(proof: AnchorProof, anchorAddress: string, runner: ContractRunner): Promise<ProofVerdict> {
  const root = hexlify(proof.root);
  const siblings = proof.proof.map((sibling) => hexlify(sibling));
  const proofMatchesRoot = StandardMerkleTree.verify(root, RECORD_ENCODING, recordValues(proof.record), siblings);
  const anchor = connectDownloadAnchor(anchorAddress, runner);
  const acceptedOnChain = await anchor.verifyRecord(root, siblings, eventRecordArgument(proof.record));
  const batchNumber = Number((await anchor.batchOf(root)).batchNumber);
  return { proofMatchesRoot, acceptedOnChain, batchNumber };
}

// Rebuilds a Semaphore group from the chain: the members come from the Semaphore contract's events (added,
// added in batches, updated, removed: a removed member's leaf is 0, as in the contract's LeanIMT), and the result
// is checked against the on-chain Merkle root, so a proof made from it names a root the contract knows.
import type { Provider } from 'ethers';
import { InvalidIdentityProof } from '../errors.js';
import { connectSemaphore } from '../generated/index.js';
import { Group } from './proofs.js';

export interface OnChainGroupRef {
  provider: Provider;
  /** Semaphore's contract. */
  semaphore: string;
  groupId: bigint;
  /** First block to scan (the deployment's); default 0. */
  fromBlock?: number;
}

/** The group's members in leaf order (0 for removed ones), matching the on-chain root. */
export async function readOnChainGroup(ref: OnChainGroupRef): Promise<Group> {
  const semaphore = connectSemaphore(ref.semaphore, ref.provider);
  const logs = await ref.provider.getLogs({ address: ref.semaphore, fromBlock: ref.fromBlock ?? 0, toBlock: 'latest' });
  const leaves: bigint[] = [];
  for (const log of logs) {
    const parsed = semaphore.interface.parseLog(log);
    if (parsed === null || parsed.args[0] !== ref.groupId) continue;
    const args = parsed.args as unknown as Record<string, unknown>;
    if (parsed.name === 'MemberAdded') leaves[Number(args.index)] = args.identityCommitment as bigint;
    else if (parsed.name === 'MembersAdded') {
      (args.identityCommitments as bigint[]).forEach((commitment, offset) => (leaves[Number(args.startIndex) + offset] = commitment));
    } else if (parsed.name === 'MemberUpdated') leaves[Number(args.index)] = args.newIdentityCommitment as bigint;
    else if (parsed.name === 'MemberRemoved') leaves[Number(args.index)] = 0n;
  }
  const group = new Group();
  // Group.addMembers refuses 0, so removed leaves are added as placeholders and then removed, as on chain.
  leaves.forEach((leaf, index) => {
    group.addMember(leaf === 0n ? BigInt(index) + 1n : leaf);
  });
  leaves.forEach((leaf, index) => {
    if (leaf === 0n) group.removeMember(index);
  });
  const root = leaves.length === 0 ? 0n : await semaphore.getMerkleTreeRoot(ref.groupId);
  if (group.root !== undefined && leaves.length > 0 && group.root !== root) {
    throw new InvalidIdentityProof(`group ${ref.groupId}: the events give root ${group.root}, the contract holds ${root} (scan from an earlier block?)`);
  }
  return group;
}

// The worker's view of the chain: read a root's batch, submit a root. Built on the chain client and the
// generated DownloadAnchor binding; the only place the outbox's bytes meet ethers' hex strings.
import { getBytes, hexlify } from 'ethers';
import type { ChainClient } from '../client/chainClient.js';
import { connectDownloadAnchor, type DownloadAnchorContract } from '../generated/index.js';
import { ChainError, DeploymentMismatch } from '../errors.js';

export interface OnChainBatch {
  /** 0 when the root is not anchored on the canonical chain. */
  batchNumber: number;
  blockNumber: number;
}

export interface AnchorChain {
  batchOf(root: Uint8Array): Promise<OnChainBatch>;
  /** Sends anchor(root, leafCount) and waits until mined; returns the transaction hash. */
  submitRoot(root: Uint8Array, leafCount: number): Promise<Uint8Array>;
  /** Blocks from `blockNumber` to the head, both included. */
  confirmationsOf(blockNumber: number): Promise<number>;
  close(): void;
}

/** The anchor transaction was mined but reverted. */
export class AnchorReverted extends ChainError {}

export function downloadAnchorChain(client: ChainClient, anchorAddress: string): AnchorChain {
  const anchor: DownloadAnchorContract = connectDownloadAnchor(anchorAddress, client.wallet);
  return {
    async batchOf(root) {
      try {
        const batch = await anchor.batchOf(hexlify(root));
        return { batchNumber: Number(batch.batchNumber), blockNumber: Number(batch.blockNumber) };
      } catch (error) {
        // A node started from a state older than the deployment answers the call with no data: say so.
        const code = await client.provider.getCode(anchorAddress).catch(() => undefined);
        if (code === '0x') throw new DeploymentMismatch(`no DownloadAnchor at ${anchorAddress} on this chain (chain state lost?); the events wait in the outbox`, { cause: error });
        throw error;
      }
    },
    async submitRoot(root, leafCount) {
      const request = await anchor.anchor.populateTransaction(hexlify(root), leafCount);
      const receipt = await client.sendAndWaitMined(request);
      if (receipt.status !== 1) throw new AnchorReverted(`anchor transaction ${receipt.hash} reverted`);
      return getBytes(receipt.hash);
    },
    confirmationsOf: (blockNumber) => client.confirmationsOf(blockNumber),
    close: () => client.destroy(),
  };
}

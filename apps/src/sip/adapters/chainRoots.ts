// The subscriber group's roots on chain for the SIP verifier's GroupRootPolicy: the current root from Semaphore
// (getMerkleTreeRoot) and whether a member left the group (MemberRemoved, or MemberUpdated: the old commitment
// is gone) since a block.
import { JsonRpcProvider, getAddress, toBeHex } from 'ethers';
import { SubscriberRegistry, connectSemaphore } from '@zkesim/contracts';
import type { GroupRootSource } from '../core/rootPolicy.js';

export interface ChainRootSource extends GroupRootSource {
  close(): void;
}

/** Reads the group of the SubscriberFactory at `registry` over `rpcUrl`. */
export async function chainRootSource(rpcUrl: string, registry: string): Promise<ChainRootSource> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const subscribers = new SubscriberRegistry(getAddress(registry), provider);
  const semaphore = await subscribers.semaphore();
  const groupId = await subscribers.groupId();
  const semaphoreAddress = await semaphore.getAddress();
  const view = connectSemaphore(semaphoreAddress, provider);
  const departures = ['MemberRemoved', 'MemberUpdated'].map((name) => view.interface.getEvent(name)?.topicHash ?? '');
  return {
    async current() {
      const block = await provider.getBlockNumber();
      return { root: await view.getMerkleTreeRoot(groupId), block };
    },
    async removedSince(block) {
      const logs = await provider.getLogs({ address: semaphoreAddress, fromBlock: block + 1, toBlock: 'latest', topics: [departures, toBeHex(groupId, 32)] });
      return logs.length > 0;
    },
    close: () => provider.destroy(),
  };
}

// The chain layer of the stack (contracts package): the bundled Anvil node under <dataDir>/chain (the folder
// `zkesim chain …` uses by default), with the contracts deployed on first start, or the node named by
// CHAIN_RPC_URL / CHAIN_PRIVATE_KEY. The SM-DP+ stores every installation result's anchor record with the
// result and drains it into the anchor outbox of that folder (sm-dp-plus/src/adapters/chainAnchor.ts); the
// anchor worker started here batches them into Merkle roots on the chain, so downloads never wait for the
// chain and nothing is lost while it is down. The same ChainClient (the stack's operator account) carries the
// onboarding's and the erasure's SubscriberFactory transactions: one send lock, so they never race for a nonce.
import { stackPaths } from '@zkesim/config';
import { SubscriberRegistry, chainConfigFromEnvironment, createAnchorWorker, openAnchorOutbox, openChainStack, systemDeps } from '@zkesim/contracts';
import type { SubscriberChain } from '@zkesim/sm-dp-plus';

export interface RunningChain {
  readonly rpcUrl: string;
  readonly bundled: boolean;
  readonly downloadAnchor: string;
  /** Where the anchor outbox lives: the SM-DP+ records installation results there. */
  readonly dataDir: string;
  /** The subscriber registry as the onboarding uses it (writes from the stack's operator account). */
  readonly subscribers: SubscriberChain;
  close(): Promise<void>;
}

export function stackChainDirectory(dataDir: string): string {
  return stackPaths(dataDir).chain;
}

export async function startStackChain(dataDir: string, env: Record<string, string | undefined>): Promise<RunningChain> {
  const chainDir = stackChainDirectory(dataDir);
  const config = chainConfigFromEnvironment(env);
  const deps = systemDeps();
  const stack = await openChainStack({ dataDir: chainDir, config, deps });
  const outbox = openAnchorOutbox(chainDir, Date.now);
  const worker = createAnchorWorker({
    outbox, dataDir: chainDir, rpcUrl: stack.endpoint.rpcUrl, privateKey: stack.endpoint.privateKey, config, deps,
    shared: { client: stack.client, deployment: stack.deployment },
  });
  worker.start();
  const registry = SubscriberRegistry.forClient(stack.client, stack.deployment);
  const operator = stack.client.address;
  const subscribers: SubscriberChain = {
    chainId: Number(stack.client.chainId),
    registry: stack.deployment.subscriberFactory,
    subscriberAddress: (commitment, wallet) => registry.subscriberAddress(commitment, wallet, operator),
    onboard: async (commitment, wallet) => (await registry.onboard(commitment, wallet)).subscriber,
    isMember: (commitment) => registry.isMember(commitment),
    revoke: (commitment) => registry.revoke(commitment),
  };
  return {
    rpcUrl: stack.endpoint.rpcUrl,
    bundled: stack.endpoint.bundled,
    downloadAnchor: stack.deployment.downloadAnchor,
    dataDir: chainDir,
    subscribers,
    close: async () => {
      await worker.stop();
      outbox.close();
      await stack.close();
    },
  };
}

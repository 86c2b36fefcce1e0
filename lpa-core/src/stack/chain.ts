// The chain layer of the stack (contracts package): the bundled Anvil node under <dataDir>/chain (the folder
// `zkesim chain …` uses by default), with the DownloadAnchor contracts deployed on first start, or the node
// named by CHAIN_RPC_URL / CHAIN_PRIVATE_KEY. Install results are not anchored yet: the SM-DP+'s
// onInstallResult hook does not carry the download's transactionId, which an anchor record is keyed by.
import { join } from 'node:path';
import { chainConfigFromEnvironment, openChainStack, systemDeps } from '@zkesim/contracts';

export interface RunningChain {
  readonly rpcUrl: string;
  readonly bundled: boolean;
  readonly downloadAnchor: string;
  close(): Promise<void>;
}

export async function startStackChain(dataDir: string, env: Record<string, string | undefined>): Promise<RunningChain> {
  const stack = await openChainStack({ dataDir: join(dataDir, 'chain'), config: chainConfigFromEnvironment(env), deps: systemDeps() });
  return {
    rpcUrl: stack.endpoint.rpcUrl,
    bundled: stack.endpoint.bundled,
    downloadAnchor: stack.deployment.downloadAnchor,
    close: () => stack.close(),
  };
}

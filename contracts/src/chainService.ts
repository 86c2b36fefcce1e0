// Wiring of the chain layer for one data directory: the node (bundled Anvil unless an RPC URL is configured),
// the operator account, the deployed contracts, the outbox and its worker. This is what `npm start` and the
// CLI call; everything below it takes its dependencies explicitly.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { ChainClient } from './client/chainClient.js';
import type { ChainConfig } from './client/chainConfig.js';
import { configErrorAt } from '@zkesim/config';
import { ChainUnavailable } from './errors.js';
import type { ChainDeps } from './deps.js';
import { ensureDeployed, readDeployment, type Deployment } from './deploy/ensureDeployed.js';
import { AnchorOutbox } from './anchor/anchorOutbox.js';
import { AnchorWorker } from './anchor/anchorWorker.js';
import { downloadAnchorChain, type AnchorChain } from './anchor/anchorChain.js';
import { BUNDLED_NODE_FILE, startBundledNode, type BundledNode } from './node/bundledNode.js';
import { bundledOperatorKey, fundOnBundledNode } from './node/bundledAccount.js';
import { fetchChainId, rpcEndpoint } from './client/rpcConnection.js';

export const OUTBOX_FILE = 'anchor-outbox.sqlite';

/** The outbox in `dataDir` (made 0700 when missing, by the AnchorOutbox with its database file). */
export function openAnchorOutbox(dataDir: string, now: () => number): AnchorOutbox {
  return new AnchorOutbox(join(dataDir, OUTBOX_FILE), now);
}

export interface ChainEndpoint {
  rpcUrl: string;
  privateKey: string;
  /** Set when this call started the bundled node; stop it when done. */
  node: BundledNode | undefined;
  bundled: boolean;
}

/** The bundled node already running for this data directory, if its node.json answers. */
async function runningBundledNode(dataDir: string, config: ChainConfig): Promise<string | undefined> {
  const file = join(dataDir, BUNDLED_NODE_FILE);
  if (!existsSync(file)) return undefined;
  const { rpcUrl } = JSON.parse(readFileSync(file, 'utf8')) as { rpcUrl: string };
  try {
    await fetchChainId(rpcEndpoint(rpcUrl, { kind: 'none' }), config.requestTimeoutMs);
    return rpcUrl;
  } catch (error) {
    if (error instanceof ChainUnavailable) return undefined;
    throw error;
  }
}

/**
 * Resolves where the chain is: the configured RPC URL and key, or the bundled node (re-using a running one,
 * else starting it with `port`). `readOnly` callers may omit the key for a configured node.
 */
export async function resolveChainEndpoint(options: { dataDir: string; config: ChainConfig; port?: number; readOnly?: boolean }): Promise<ChainEndpoint> {
  const { dataDir, config } = options;
  if (config.rpcUrl !== undefined) {
    if (config.privateKey === undefined && options.readOnly !== true) throw configErrorAt(config, 'chain', 'privateKey', 'required with rpcUrl (an external node)');
    return { rpcUrl: config.rpcUrl, privateKey: config.privateKey ?? Wallet.createRandom().privateKey, node: undefined, bundled: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const privateKey = bundledOperatorKey(dataDir);
  const operator = new Wallet(privateKey).address;
  const running = await runningBundledNode(dataDir, config);
  if (running !== undefined) {
    await fundOnBundledNode(running, operator);
    return { rpcUrl: running, privateKey, node: undefined, bundled: true };
  }
  const node = await startBundledNode({ dataDir, ...(options.port !== undefined && { port: options.port }) });
  try {
    await fundOnBundledNode(node.rpcUrl, operator);
  } catch (error) {
    await node.stop();
    throw error;
  }
  return { rpcUrl: node.rpcUrl, privateKey, node, bundled: true };
}

export interface ChainStack {
  endpoint: ChainEndpoint;
  client: ChainClient;
  deployment: Deployment;
  close(): Promise<void>;
}

/** Connects to the chain of `dataDir` and makes sure the contracts are deployed (first start deploys them). */
export async function openChainStack(options: { dataDir: string; config: ChainConfig; deps: ChainDeps; port?: number }): Promise<ChainStack> {
  const endpoint = await resolveChainEndpoint(options);
  try {
    const client = await ChainClient.connect(endpoint.rpcUrl, endpoint.privateKey, options.config, options.deps);
    const deployment = await ensureDeployed(client, options.dataDir);
    return {
      endpoint,
      client,
      deployment,
      async close() {
        client.destroy();
        await endpoint.node?.stop();
      },
    };
  } catch (error) {
    await endpoint.node?.stop();
    throw error;
  }
}

/** An anchor worker for `dataDir` that (re)connects to `rpcUrl` on each attempt after a failure. */
export function createAnchorWorker(options: {
  outbox: AnchorOutbox;
  dataDir: string;
  rpcUrl: string;
  privateKey: string;
  config: ChainConfig;
  deps: ChainDeps;
  /**
   * A client (and its deployment) to send through instead of connecting its own: the stack shares its one
   * ChainClient between this worker and the onboarding, so the client's send lock keeps the account's nonces apart.
   */
  shared?: { client: ChainClient; deployment: Deployment };
}): AnchorWorker {
  const shared = options.shared;
  const connect = async (): Promise<AnchorChain> => {
    // The owner of a shared client closes it; the worker's disconnect (after a failed pass, at stop) must not.
    if (shared !== undefined) return { ...downloadAnchorChain(shared.client, shared.deployment.downloadAnchor), close: () => undefined };
    const client = await ChainClient.connect(options.rpcUrl, options.privateKey, options.config, options.deps);
    const deployment = readDeployment(options.dataDir) ?? (await ensureDeployed(client, options.dataDir));
    return downloadAnchorChain(client, deployment.downloadAnchor);
  };
  return new AnchorWorker(
    options.outbox,
    { connect, confirmations: options.config.confirmations, maxBatchSize: options.config.maxBatchSize, intervalMs: options.config.anchorIntervalMs },
    options.deps,
  );
}

// Starts a JSON-RPC node for a test on an ephemeral loopback port: the bundled Anvil, or Hardhat's node as the
// second, different implementation. Accounts are fresh random keys funded through the node's dev RPC.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonRpcProvider, Wallet, toQuantity } from 'ethers';
import { startBundledNode, startOnFreePort, startRpcProcess } from '@zkesim/contracts';

const require = createRequire(import.meta.url);

export type NodeKind = 'anvil' | 'hardhat';
export const NODE_KINDS: NodeKind[] = ['anvil', 'hardhat'];

export interface TestNode {
  kind: NodeKind;
  rpcUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `zkesim-${prefix}-`));
}

async function startHardhat(dataDir: string): Promise<TestNode> {
  const cli = join(dirname(require.resolve('hardhat/package.json')), 'internal', 'cli', 'cli.js');
  const config = fileURLToPath(new URL('./hardhat/hardhat.config.cjs', import.meta.url));
  // The node binds its port itself: a free port taken before it does is replaced by a fresh one.
  const node = await startOnFreePort((port) =>
    startRpcProcess({
      name: 'hardhat node',
      command: process.execPath,
      args: [cli, '--config', config, 'node', '--hostname', '127.0.0.1', '--port', String(port)],
      rpcUrl: `http://127.0.0.1:${port}`,
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true', CI: 'true' },
    }),
  );
  return { kind: 'hardhat', rpcUrl: node.rpcUrl, dataDir, stop: () => node.stop() };
}

export async function startTestNode(kind: NodeKind, dataDir = tempDir(kind)): Promise<TestNode> {
  if (kind === 'hardhat') return startHardhat(dataDir);
  const node = await startBundledNode({ dataDir });
  return { kind, rpcUrl: node.rpcUrl, dataDir, stop: () => node.stop() };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A provider that polls fast (the nodes mine on demand, so receipts are there at once). */
export function testProvider(rpcUrl: string): JsonRpcProvider {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  return provider;
}

/** A fresh random account with `wei` (default 100 ether), set through hardhat_setBalance (Anvil accepts that name too). */
export async function fundedWallet(provider: JsonRpcProvider, wei = 10n ** 20n): Promise<Wallet> {
  const wallet = Wallet.createRandom().connect(provider);
  await provider.send('hardhat_setBalance', [wallet.address, toQuantity(wei)]);
  return new Wallet(wallet.privateKey, provider);
}

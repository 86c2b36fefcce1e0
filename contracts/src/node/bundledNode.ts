// The default chain: Foundry's Anvil, shipped as a binary inside the @foundry-rs/anvil npm package, serving
// JSON-RPC on loopback with its state in the data directory (`--state FILE`: loaded at start, saved on exit
// and every few seconds), so anchored roots and deployed contracts survive a restart.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startOnFreePort } from './childPort.js';
import { startRpcProcess } from './rpcProcess.js';

const require = createRequire(import.meta.url);

/** Chain id of the bundled node (Anvil's default, also what wallets expect of a local dev chain). */
export const BUNDLED_CHAIN_ID = 31337;
/** Seconds between state dumps while running, so a crash (not only a clean stop) loses little. */
const STATE_INTERVAL_SECONDS = 2;

/** Written in the data directory while the bundled node runs: `{ rpcUrl, pid }`. */
export const BUNDLED_NODE_FILE = 'node.json';

export interface BundledNode {
  readonly rpcUrl: string;
  readonly stateFile: string;
  stop(): Promise<void>;
}

/** Path of the Anvil binary for this platform (the npm package ships one optional dependency per platform). */
export function anvilBinaryPath(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const packageName = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const packageDir = dirname(require.resolve(`${packageName}/package.json`));
  return join(packageDir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
}

export async function startBundledNode(options: { dataDir: string; port?: number }): Promise<BundledNode> {
  // The chain's state, the owner's alone like the other data folders.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const stateFile = join(options.dataDir, 'anvil-state.json');
  // Anvil binds its port itself: a free port may be taken before it does, and is then replaced by a fresh one.
  const start = (port: number) =>
    startRpcProcess({
      name: 'anvil',
      command: anvilBinaryPath(),
      args: [
        '--host', '127.0.0.1',
        '--port', String(port),
        '--chain-id', String(BUNDLED_CHAIN_ID),
        '--state', stateFile,
        '--state-interval', String(STATE_INTERVAL_SECONDS),
        '--silent',
      ],
      rpcUrl: `http://127.0.0.1:${port}`,
    });
  const node = options.port === undefined ? await startOnFreePort(start) : await start(options.port);
  const { rpcUrl } = node;
  // Lets other processes on this machine (the CLI) find the running node instead of starting a second one
  // on the same state file.
  const nodeFile = join(options.dataDir, BUNDLED_NODE_FILE);
  writeFileSync(nodeFile, `${JSON.stringify({ rpcUrl, pid: node.pid })}\n`);
  return {
    rpcUrl,
    stateFile,
    async stop() {
      await node.stop();
      rmSync(nodeFile, { force: true });
    },
  };
}

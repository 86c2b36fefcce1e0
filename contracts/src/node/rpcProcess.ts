// Runs a JSON-RPC node as a child process and waits until it listens on its port itself and answers eth_chainId. Shared by the bundled
// Anvil node and the test-only second node.
import { spawn, type ChildProcess } from 'node:child_process';
import { ChainUnavailable } from '../errors.js';
import { PortTaken, waitForOwnPorts } from './childPort.js';

export interface RpcProcess {
  readonly rpcUrl: string;
  readonly pid: number | undefined;
  /** Sends SIGINT (the node saves its state), waits for exit, and SIGKILLs after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface RpcProcessOptions {
  command: string;
  args: string[];
  rpcUrl: string;
  name: string;
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

async function answersChainId(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  } catch {
    // Not listening yet: the caller polls again until its deadline.
    return false;
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

export async function startRpcProcess(options: RpcProcessOptions): Promise<RpcProcess> {
  const child = spawn(options.command, options.args, { stdio: ['ignore', 'ignore', 'pipe'], env: options.env ?? process.env });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  // A node must not outlive its parent (a crashed test or server would otherwise leave it running).
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const failed = (why: string) => new ChainUnavailable(`${options.name} ${why} on ${options.rpcUrl}: ${stderr.trim() || 'no output'}`);
  // The node's own socket first: an answer on the port may come from another node that took it (PortTaken then).
  try {
    await waitForOwnPorts({
      name: options.name,
      pid: child.pid,
      ports: [Number(new URL(options.rpcUrl).port)],
      exited: () => child.exitCode !== null || child.signalCode !== null,
      output: () => stderr,
      timeoutMs,
    });
  } catch (error) {
    child.kill('SIGKILL');
    if (error instanceof PortTaken) throw error;
    throw failed('did not start');
  }
  while (!(await answersChainId(options.rpcUrl))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw failed('did not answer eth_chainId');
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return {
    rpcUrl: options.rpcUrl,
    pid: child.pid,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      if (!(await waitForExit(child, graceMs))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    },
  };
}

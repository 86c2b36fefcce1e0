// One phase of the load generator against one server (the SM-DP+ of load.ts, or the HTTPS floor of
// httpsFloor.ts): `concurrency` client processes (loadClient.ts) taking their downloads from one queue, an
// untimed warm-up by clients of their own, then the timed downloads by new clients, with the server processes'
// CPU (utime + stime) read from /proc/<pid> right before and after, so the figures are the server's alone.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { LoadClientInput } from './loadClient.js';
import type { WireTally } from './wire.js';

const repository = fileURLToPath(new URL('../../../', import.meta.url));

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
export function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/**
 * utime and stime of a process (ms), from /proc/<pid>/stat (proc(5): fields 14 and 15, after the comm field);
 * stime is the kernel's share (socket writes, file writes, epoll).
 */
export function processCpuSplitMs(pid: number, ticks = clockTicks()): { userMs: number; systemMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { userMs: (Number(fields[11]) * 1000) / ticks, systemMs: (Number(fields[12]) * 1000) / ticks };
}

/** Peak resident set of a process (KiB), VmHWM of /proc/<pid>/status. */
export function processPeakRssKiB(pid: number): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

export interface ClientResult {
  latenciesMs: number[];
  errors: string[];
  /** TLS connections the client opened, and how many of them resumed a TLS session. */
  connections: number;
  resumed: number;
  /** Downloads by the server process that bound them (its X-Zkesim-Worker; `-` for one process). */
  workers: Record<string, number>;
  /** What each ES9+ call put on the wire (wire.ts). */
  wire: WireTally;
}

interface Client {
  ready: Promise<void>;
  go(): void;
  done: Promise<ClientResult>;
}

export interface Order {
  matchingId: string;
  iccid: string;
}

/**
 * A client process, started (tsx, imports) and waiting until go() so that its start-up is not timed. It takes
 * its orders one at a time from `queue` (shared by all clients of a run) over IPC: a client whose downloads
 * go faster (a less loaded server process) takes more, so every client stays busy until the queue is empty,
 * whatever the split of their connections across server processes.
 */
function startClient(input: LoadClientInput, queue: Order[]): Client {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'testing/src/smdp/loadClient.ts', JSON.stringify(input)], { cwd: repository, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
  child.on('message', () => {
    const order = queue.shift();
    child.send(order === undefined ? { done: true } : { order });
  });
  let out = '';
  let onReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<ClientResult>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (/^ready$/m.test(out)) onReady();
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      onReady();
      const line = /^result (\{.*\})$/m.exec(out)?.[1];
      if (line === undefined) reject(new Error(`load client exited with ${code}: ${out.slice(-2000)}`));
      else resolve(JSON.parse(line) as ClientResult);
    });
  });
  return { ready, done, go: () => child.stdin?.end('go\n') };
}

/** Downloads per server process, summed over clients: the worker ids in order, and the count of each. */
export function splitOf(results: ClientResult[]): Record<string, number> {
  const split: Record<string, number> = {};
  for (const result of results) for (const [worker, n] of Object.entries(result.workers)) split[worker] = (split[worker] ?? 0) + n;
  return Object.fromEntries(Object.entries(split).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
}

export interface PhaseOptions {
  input: LoadClientInput;
  /** The orders: the first `warmup` for the untimed warm-up, the rest for the timed window. */
  orders: readonly Order[];
  warmup: number;
  concurrency: number;
  /** The server's processes, whose CPU is read before and after the timed window. */
  pids: readonly number[];
  /** Called right before the clients start their timed downloads, and right after the last one (profilers, quotas). */
  window?: { start?(): void; end?(): void };
}

export interface Phase {
  /** The timed clients' results. */
  results: ClientResult[];
  /** The warm-up's downloads per server process. */
  warmupSplit: Record<string, number>;
  elapsedS: number;
  /** CPU (user + system, ms) each of `pids` spent in the timed window, and of it the kernel's share summed. */
  cpuMsPerProcess: number[];
  systemCpuMs: number;
}

/** The warm-up (a failed download stops the run), then the timed downloads with the server's CPU around them. */
export async function runPhase(options: PhaseOptions): Promise<Phase> {
  const { input, warmup, concurrency, pids } = options;
  const startClients = (queue: Order[]): Client[] => Array.from({ length: Math.min(concurrency, queue.length) }, () => startClient(input, queue));
  let warmupSplit: Record<string, number> = {};
  if (warmup > 0) {
    const warmers = startClients(options.orders.slice(0, warmup));
    await Promise.all(warmers.map((client) => client.ready));
    for (const client of warmers) client.go();
    const warmed = await Promise.all(warmers.map((client) => client.done));
    const failed = warmed.flatMap((r) => r.errors);
    if (failed.length > 0) throw new Error(`warm-up downloads failed: ${failed.slice(0, 3).join('; ')}`);
    warmupSplit = splitOf(warmed);
  }
  const clients = startClients(options.orders.slice(warmup));
  await Promise.all(clients.map((client) => client.ready));
  const ticks = clockTicks();
  const cpu = (): { userMs: number; systemMs: number }[] => pids.map((one) => processCpuSplitMs(one, ticks));
  options.window?.start?.();
  const cpuBefore = cpu();
  const started = performance.now();
  for (const client of clients) client.go();
  const results = await Promise.all(clients.map((client) => client.done));
  const elapsedS = (performance.now() - started) / 1000;
  const cpuAfter = cpu();
  options.window?.end?.();
  return {
    results,
    warmupSplit,
    elapsedS,
    cpuMsPerProcess: cpuAfter.map((one, i) => one.userMs + one.systemMs - (cpuBefore[i]?.userMs ?? 0) - (cpuBefore[i]?.systemMs ?? 0)),
    systemCpuMs: cpuAfter.reduce((sum, one, i) => sum + one.systemMs - (cpuBefore[i]?.systemMs ?? 0), 0),
  };
}

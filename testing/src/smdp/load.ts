// The SM-DP+ load generator: a real SM-DP+ in a process of its own (smdpProcess.ts, SQLite store), orders
// placed over ES2+ beforehand, and `concurrency` client processes (loadClient.ts) doing the LPA's and the
// eUICC's part of `warmup` downloads (untimed), then of `downloads` timed downloads in new client processes. The server's CPU (utime + stime) and peak RSS (VmHWM) come from
// /proc/<pid>, read before and after the downloads, so the figures are the server's alone.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BUNDLED_PROFILES_DIRECTORY, type SmdpConfig } from '@zkesim/sm-dp-plus';
import { post, statusOf } from './https.js';
import type { LoadClientInput } from './loadClient.js';
import { sgp26Eid } from './sgp26Card.js';
import { testConfig } from './testConfig.js';
import { createTestPki } from './testPki.js';
import { startBackground } from '../stack/processes.js';

const repository = fileURLToPath(new URL('../../../', import.meta.url));

export interface LoadResult {
  downloads: number;
  /** Downloads run before the timed window (not counted in any figure). */
  warmup: number;
  concurrency: number;
  elapsedS: number;
  /** Latency of each successful download, sorted ascending (ms). */
  latenciesMs: number[];
  errors: string[];
  /** TLS connections all clients opened (keep-alive: about one per client), and how many resumed a session. */
  connections: number;
  resumedSessions: number;
  /** Server CPU (user + system) spent during the downloads (ms). */
  serverCpuMs: number;
  /** Of serverCpuMs, the kernel's share (stime, ms). */
  serverSystemCpuMs: number;
  /** The server process's peak resident set (VmHWM, KiB). */
  serverPeakRssKiB: number;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
function clockTicks(): number {
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

interface ClientResult {
  latenciesMs: number[];
  errors: string[];
  /** TLS connections the client opened, and how many of them resumed a TLS session. */
  connections: number;
  resumed: number;
}

interface Client {
  ready: Promise<void>;
  go(): void;
  done: Promise<ClientResult>;
}

/** A client process, started (tsx, imports) and waiting until go() so that its start-up is not timed. */
function startClient(input: LoadClientInput): Client {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'testing/src/smdp/loadClient.ts', JSON.stringify(input)], { cwd: repository, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let onReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<ClientResult>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (/^ready$/m.test(out)) onReady();
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      onReady();
      const line = /^result (\{.*\})$/m.exec(out)?.[1];
      if (line === undefined) reject(new Error(`load client exited with ${code}: ${out.slice(-2000)}`));
      else resolve(JSON.parse(line) as ClientResult);
    });
  });
  return { ready, done, go: () => child.stdin.end('go\n') };
}

export interface LoadOptions {
  downloads: number;
  concurrency: number;
  /** Another store than the SQLite file (PostgreSQL: loadPostgres.ts). */
  storage?: SmdpConfig['storage'];
  /** Run `zkesim smdp serve --workers N` instead of one server process; CPU and RSS are summed over its processes. */
  workers?: number;
  /**
   * Downloads run by client processes of their own before the timed window and left out of every figure (default
   * `defaultWarmupDownloads`): a long-running server compiles its hot paths once, so the window measures the
   * steady state, not V8's first compilations.
   */
  warmup?: number;
}

/** Warm-up downloads before the timed window, unless `warmup` or BENCH_WARMUP says otherwise. */
export const defaultWarmupDownloads = 500;

/** The warm-up of a run: `warmup` if given, else BENCH_WARMUP, else `defaultWarmupDownloads`. */
export function warmupDownloads(warmup?: number): number {
  const value = warmup ?? (process.env.BENCH_WARMUP === undefined ? defaultWarmupDownloads : Number(process.env.BENCH_WARMUP));
  if (!Number.isInteger(value) || value < 0) throw new Error(`warm-up downloads: expected a whole number ≥ 0, got ${String(value)}`);
  return value;
}

/** The pids of a server: the process and, for `--workers`, its worker processes. */
function serverPids(pid: number): number[] {
  try {
    return [pid, ...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)];
  } catch {
    return [pid];
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { downloads, concurrency } = options;
  const warmup = warmupDownloads(options.warmup);
  const pki = createTestPki();
  const config = testConfig(pki, (c) => {
    if (options.storage !== undefined) c.storage = options.storage;
    c.profilesDirectory = BUNDLED_PROFILES_DIRECTORY;
    c.profilesPerTemplate = downloads + warmup;
    c.limits.maxConcurrentPerAddress = Math.max(16, concurrency * 2);
  });
  const configFile = join(pki.dir, 'smdp.json');
  writeFileSync(configFile, JSON.stringify(config));
  // Profiling and A/B comparison of the server alone (docs/PERFORMANCE.md):
  // BENCH_SERVER_CPU_PROF=DIR: the server writes a V8 CPU profile (.cpuprofile) into DIR when it stops.
  // BENCH_SERVER_CALLGRIND=FILE: the server runs under valgrind's callgrind, counting instructions only
  //   during the timed downloads (machine-load independent), written to FILE.
  // BENCH_SERVER_REPOSITORY=DIR: the server of another checkout (e.g. main) under the same load.
  // These apply to the one-process server (not to --workers).
  const profileDir = process.env.BENCH_SERVER_CPU_PROF;
  const outputFile = process.env.BENCH_SERVER_OUTPUT;
  const callgrindFile = options.workers === undefined ? process.env.BENCH_SERVER_CALLGRIND : undefined;
  // BENCH_SERVER_NODE_FLAGS: more node/V8 flags for the one-process server (e.g. `--trace-deopt`).
  // BENCH_SERVER_OUTPUT=FILE: what the server printed during the timed window, written to FILE.
  const nodeFlags = `${profileDir ? `--cpu-prof --cpu-prof-dir=${JSON.stringify(profileDir)} ` : ''}${process.env.BENCH_SERVER_NODE_FLAGS ? `${process.env.BENCH_SERVER_NODE_FLAGS} ` : ''}`;
  const wrapper = callgrindFile ? `valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file --callgrind-out-file=${JSON.stringify(callgrindFile)} ` : '';
  const serverCwd = process.env.BENCH_SERVER_REPOSITORY ?? repository;
  const command =
    options.workers === undefined
      ? `${wrapper}node ${nodeFlags}bin/run-ts.js testing/src/smdp/smdpProcess.ts ${configFile}`
      : `node bin/zkesim.js smdp serve --workers ${options.workers} --config ${configFile}`;
  const server = startBackground(command, { cwd: serverCwd, env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SMDP_'))) });
  try {
    let urls: { es9Url: string; es2Url: string };
    if (options.workers === undefined) {
      await server.waitFor('ready ', callgrindFile ? 600_000 : 60_000);
      urls = JSON.parse(/ready (\{.*\})/.exec(server.output())?.[1] ?? '{}') as { es9Url: string; es2Url: string };
    } else {
      await server.waitFor(`SM-DP+ (${options.workers} workers)`, 90_000);
      const line = /ES9\+ (\S+) {2}ES2\+ (\S+)/.exec(server.output());
      urls = { es9Url: line?.[1] ?? '', es2Url: line?.[2] ?? '' };
    }
    const pid = server.child.pid as number;
    const pids = serverPids(pid);
    const serverCpu = (ticks: number): { userMs: number; systemMs: number } =>
      pids.map((one) => processCpuSplitMs(one, ticks)).reduce((sum, one) => ({ userMs: sum.userMs + one.userMs, systemMs: sum.systemMs + one.systemMs }));

    // The orders, placed over ES2+ as an operator would (one keep-alive connection).
    const operatorAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const es2 = async (fn: string, body: object) =>
      post(`${urls.es2Url}/gsma/rsp2/es2plus/${fn}`, JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: fn }, ...body }), {
        ca: pki.ciNist,
        cert: pki.operatorCert,
        key: pki.operatorKey,
        agent: operatorAgent,
      });
    const orders: { matchingId: string; iccid: string }[] = [];
    for (let i = 0; i < warmup + downloads; i += 1) {
      const ordered = await es2('downloadOrder', { eid: sgp26Eid, profileType: 'TS48V1-A-UNIQUE' });
      const iccid = String(ordered.json().iccid);
      const matchingId = `LOAD-${i}`;
      const confirmed = statusOf(await es2('confirmOrder', { iccid, matchingId, releaseFlag: true }));
      if (confirmed.status !== 'Executed-Success') throw new Error(`confirmOrder ${i}: ${JSON.stringify(confirmed)} (downloadOrder: ${ordered.text})`);
      orders.push({ matchingId, iccid });
    }
    operatorAgent.destroy();

    const shares = (of: typeof orders) => Array.from({ length: concurrency }, (_, c) => of.filter((_, i) => i % concurrency === c)).filter((share) => share.length > 0);
    const run = async (of: typeof orders, timed: (clients: Client[]) => Promise<ClientResult[]>): Promise<ClientResult[]> => {
      const clients = shares(of).map((share) => startClient({ es9Url: urls.es9Url, ca: pki.ciNist, orders: share }));
      await Promise.all(clients.map((client) => client.ready));
      return timed(clients);
    };
    const goAll = (clients: Client[]): Promise<ClientResult[]> => {
      for (const client of clients) client.go();
      return Promise.all(clients.map((client) => client.done));
    };
    // The warm-up: the first orders, by other client processes (their TLS sessions are not reused later).
    const warmed = await run(orders.slice(0, warmup), goAll);
    const warmupErrors = warmed.flatMap((r) => r.errors);
    if (warmupErrors.length > 0) throw new Error(`warm-up downloads failed: ${warmupErrors.slice(0, 3).join('; ')}`);
    const measured = orders.slice(warmup);
    const ticks = clockTicks();
    let window = { elapsedS: 0, serverCpuMs: 0, serverSystemCpuMs: 0 };
    const results = await run(measured, async (clients) => {
      if (callgrindFile) execFileSync('callgrind_control', ['--instr=on', String(pid)]);
      const cpuBefore = serverCpu(ticks);
      const started = performance.now();
      const windowStartUs = process.hrtime.bigint() / 1000n;
      const outputBefore = server.output().length;
      const done = await goAll(clients);
      const cpuAfter = serverCpu(ticks);
      const systemMs = cpuAfter.systemMs - cpuBefore.systemMs;
      window = { elapsedS: (performance.now() - started) / 1000, serverCpuMs: cpuAfter.userMs - cpuBefore.userMs + systemMs, serverSystemCpuMs: systemMs };
      if (callgrindFile) execFileSync('callgrind_control', ['--instr=off', String(pid)]);
      // The timed window on CLOCK_MONOTONIC (µs), the clock of the profile's timestamps, to profile the downloads alone.
      if (profileDir) writeFileSync(join(profileDir, 'window.json'), JSON.stringify({ startUs: Number(windowStartUs), endUs: Number(process.hrtime.bigint() / 1000n) }));
      // What the server printed during the window (with BENCH_SERVER_NODE_FLAGS=--trace-deopt, its deoptimisations).
      if (outputFile) writeFileSync(outputFile, server.output().slice(outputBefore));
      return done;
    });
    const { elapsedS, serverCpuMs, serverSystemCpuMs } = window;
    return {
      downloads,
      warmup,
      concurrency,
      elapsedS,
      latenciesMs: results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b),
      errors: results.flatMap((r) => r.errors),
      connections: results.reduce((sum, r) => sum + r.connections, 0),
      resumedSessions: results.reduce((sum, r) => sum + r.resumed, 0),
      serverCpuMs,
      serverSystemCpuMs,
      serverPeakRssKiB: pids.reduce((sum, pid) => sum + processPeakRssKiB(pid), 0),
    };
  } finally {
    await server.interrupt(10_000);
    pki.cleanup();
  }
}

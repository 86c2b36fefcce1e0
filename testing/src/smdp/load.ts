// The SM-DP+ load generator: a real SM-DP+ in a process of its own (smdpProcess.ts, SQLite store), orders
// placed over ES2+ beforehand, and `concurrency` client processes (loadClient.ts) doing the LPA's and the
// eUICC's part of `warmup` downloads per server process (untimed), then of `downloads` timed downloads in new
// client processes, all clients of a phase taking their orders from one queue (loadPhase.ts). The server's CPU
// (utime + stime) and peak RSS (VmHWM) come from /proc/<pid>, read before and after the downloads, so the
// figures are the server's alone; the downloads each server process bound come from the responses'
// X-Zkesim-Worker. The clients record what each ES9+ call put on the wire (wire.ts); with `floor`, the same
// downloads then run against the HTTPS floor (httpsFloor.ts), a node:https server of the same TLS settings
// answering canned bodies of those sizes, in the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_PROFILES_DIRECTORY, type SmdpConfig } from '@zkesim/sm-dp-plus';
import { post, statusOf } from './https.js';
import { runFloor, type FloorResult } from './httpsFloor.js';
import { processPeakRssKiB, runPhase, splitOf, type Order } from './loadPhase.js';
import { wireCalls, type WireCall } from './wire.js';
import { sgp26Eid } from './sgp26Card.js';
import { testConfig } from './testConfig.js';
import { createTestPki, sgp26 } from './testPki.js';
import { startBackground } from '../stack/processes.js';
import { CpuQuotaGroups } from '../bench/cpuQuota.js';
import type { Sgp26Curve } from '../euicc/sgp26Euicc.js';
import { yardstickProfile } from '../bench/downloadCrypto.js';

const repository = fileURLToPath(new URL('../../../', import.meta.url));

export interface LoadResult {
  downloads: number;
  /** Downloads done before the timed window (LoadOptions.warmupDownloads). */
  warmupDownloads: number;
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
  /** The same per server process: the process, then (`workers`) each worker. */
  serverCpuMsPerProcess: number[];
  /** Of serverCpuMs, the kernel's share (stime, ms). */
  serverSystemCpuMs: number;
  /** The server process's peak resident set (VmHWM, KiB). */
  serverPeakRssKiB: number;
  /** Timed downloads by the server process that bound them (worker id → count; one process: `-`). */
  downloadsPerProcess: Record<string, number>;
  /** The same for the warm-up downloads. */
  warmupDownloadsPerProcess: Record<string, number>;
  /** What each ES9+ call of the timed downloads put on the wire: mean body bytes each way, the usual status. */
  wire: WireCall[];
  /** With `floor`: the same downloads against the HTTPS floor (httpsFloor.ts), after the SM-DP+'s. */
  floor?: FloorResult;
  /** With `plainFloor`: the same against the floor in HTTP/1.1 over plain TCP (no TLS). */
  plainFloor?: FloorResult;
  /** With `tlsSocketFloor`: the same against bare TLS sockets answering those bytes (no HTTP module). */
  tlsSocketFloor?: FloorResult;
  /** With `serverCpu`: the quota of each server process (cores) and in how many 100 ms periods of the downloads each was held back by it. */
  serverCpuQuota?: { coresPerProcess: number; throttledPeriods: number[]; activePeriods: number[] };
}

export interface LoadOptions {
  downloads: number;
  concurrency: number;
  /** Another store than the SQLite file (PostgreSQL: loadPostgres.ts). */
  storage?: SmdpConfig['storage'];
  /** Run `zkesim smdp serve --workers N` instead of one server process; CPU and RSS are summed over its processes. */
  workers?: number;
  /**
   * The SGP.26 eUICC the clients are (default NIST). `brp`: the brainpoolP256r1 card, served on a second ES9+
   * endpoint with the brainpool DPtls, DPauth and DPpb (the SM-DP+ keeps its NIST endpoint first, as deployed).
   */
  curve?: Sgp26Curve;
  /**
   * Cores per server process (bench/cpuQuota.ts): the one server process, or each worker of `workers` (the
   * primary, which only hands connections over, is not capped), in a cgroup of its own with this CPU quota.
   */
  serverCpu?: number;
  /**
   * Downloads done before the timed window per server process (with `workers: N`, N times this many, by
   * `concurrency` clients of their own from one queue, so that each worker gets about as many as one process
   * does): the server's JIT compiler and caches warm up outside the figures, as in a server that has run for a
   * while. Default: BENCH_WARMUP, else `defaultWarmupDownloads`.
   */
  warmupDownloads?: number;
  /**
   * After the SM-DP+'s timed window, run the same warm-up and timed downloads against the HTTPS floor
   * (httpsFloor.ts: node:https with this endpoint's TLS settings, canned answers of the recorded sizes) in a
   * process of its own, and measure its CPU the same way. One server process only.
   */
  floor?: boolean;
  /** Then the same floor in HTTP/1.1 over plain TCP, no TLS (the HTTPS floor less it: TLS's share). */
  plainFloor?: boolean;
  /**
   * Then bare node:tls sockets with the endpoint's TLS, answering the plain floor's bytes with no HTTP module
   * (tlsSocketFloor.ts; the HTTPS floor less it: what Node's HTTP/1.1 server costs).
   */
  tlsSocketFloor?: boolean;
}

/** Warm-up downloads before the timed window, unless `warmupDownloads` or BENCH_WARMUP says otherwise. */
export const defaultWarmupDownloads = 500;

/** The warm-up of a run: `warmup` if given, else BENCH_WARMUP, else `defaultWarmupDownloads`. */
export function resolveWarmupDownloads(warmup?: number): number {
  const value = warmup ?? (process.env.BENCH_WARMUP === undefined ? defaultWarmupDownloads : Number(process.env.BENCH_WARMUP));
  if (!Number.isInteger(value) || value < 0) throw new Error(`warm-up downloads (BENCH_WARMUP): expected a whole number ≥ 0, got ${String(value)}`);
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
  const brainpool = options.curve === 'brp';
  const warmup = resolveWarmupDownloads(options.warmupDownloads) * (options.workers ?? 1);
  if (brainpool && options.workers !== undefined) throw new Error('the brainpool load runs one server process (no --workers)');
  if ((options.floor === true || options.plainFloor === true || options.tlsSocketFloor === true) && options.workers !== undefined) throw new Error('the HTTPS floor is measured against one server process (no --workers)');
  // Refused before anything starts when this machine cannot cap processes (not root, no cgroup v1 cpu).
  const quota = options.serverCpu === undefined ? undefined : CpuQuotaGroups.open(options.serverCpu);
  const pki = createTestPki();
  const config = testConfig(pki, (c) => {
    if (options.storage !== undefined) c.storage = options.storage;
    if (brainpool) {
      c.es9.push({ port: 0, tlsCertificate: pki.dpTlsBrainpoolCert, tlsKey: pki.dpTlsBrainpoolKey });
      c.credentials.push({
        ciCertificate: sgp26('CertificateIssuer/CERT_CI_ECDSA_BRP.der'),
        dpAuthCertificate: sgp26('DPauth/CERT_S_SM_DPauth_ECDSA_BRP.der'),
        dpAuthKey: sgp26('DPauth/SK_S_SM_DPauth_ECDSA_BRP.pem'),
        dpPbCertificate: sgp26('DPpb/CERT_S_SM_DPpb_ECDSA_BRP.der'),
        dpPbKey: sgp26('DPpb/SK_S_SM_DPpb_ECDSA_BRP.pem'),
      });
    }
    c.profilesDirectory = BUNDLED_PROFILES_DIRECTORY;
    c.profilesPerTemplate = warmup + downloads;
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
  // node writes its profile into the folder only at exit; window.json goes there before, so the folder must exist.
  if (profileDir) mkdirSync(profileDir, { recursive: true });
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
    let urls: { es9Url: string; es2Url: string; es9Urls?: string[] };
    if (options.workers === undefined) {
      await server.waitFor('ready ', callgrindFile ? 600_000 : 60_000);
      urls = JSON.parse(/ready (\{.*\})/.exec(server.output())?.[1] ?? '{}') as { es9Url: string; es2Url: string; es9Urls: string[] };
    } else {
      await server.waitFor(`SM-DP+ (${options.workers} workers)`, 90_000);
      const line = /ES9\+ (\S+) {2}ES2\+ (\S+)/.exec(server.output());
      urls = { es9Url: line?.[1] ?? '', es2Url: line?.[2] ?? '' };
    }
    const pid = server.child.pid as number;
    const pids = serverPids(pid);
    if (quota !== undefined) {
      const capped = options.workers === undefined ? [pid] : pids.slice(1);
      if (capped.length !== (options.workers ?? 1)) throw new Error(`--server-cpu: found ${capped.length} server processes to cap, expected ${options.workers ?? 1}`);
      for (const one of capped) quota.place(one);
    }

    // The orders, placed over ES2+ as an operator would (one keep-alive connection).
    const operatorAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const es2 = async (fn: string, body: object) =>
      post(`${urls.es2Url}/gsma/rsp2/es2plus/${fn}`, JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: fn }, ...body }), {
        ca: pki.ciNist,
        cert: pki.operatorCert,
        key: pki.operatorKey,
        agent: operatorAgent,
      });
    const orders: Order[] = [];
    for (let i = 0; i < warmup + downloads; i += 1) {
      const ordered = await es2('downloadOrder', { eid: sgp26Eid, profileType: yardstickProfile });
      const iccid = String(ordered.json().iccid);
      const matchingId = `LOAD-${i}`;
      const confirmed = statusOf(await es2('confirmOrder', { iccid, matchingId, releaseFlag: true }));
      if (confirmed.status !== 'Executed-Success') throw new Error(`confirmOrder ${i}: ${JSON.stringify(confirmed)} (downloadOrder: ${ordered.text})`);
      orders.push({ matchingId, iccid });
    }
    operatorAgent.destroy();

    const es9Url = brainpool ? urls.es9Urls?.[1] : urls.es9Url;
    if (es9Url === undefined) throw new Error(`the server named no brainpool ES9+ endpoint: ${server.output().slice(-500)}`);
    const clientInput = brainpool ? { es9Url, ca: pki.ciBrainpool, curve: 'brp' as const } : { es9Url, ca: pki.ciNist };
    let quotaBefore: { throttled: number; periods: number }[] = [];
    let quotaAfter: { throttled: number; periods: number }[] = [];
    let windowStartUs = 0n;
    let outputBefore = 0;
    const phase = await runPhase({
      input: clientInput,
      orders,
      warmup,
      concurrency,
      pids,
      window: {
        start: () => {
          if (callgrindFile) execFileSync('callgrind_control', ['--instr=on', String(pid)]);
          quotaBefore = quota?.stats() ?? [];
          windowStartUs = process.hrtime.bigint() / 1000n;
          outputBefore = server.output().length;
        },
        end: () => {
          if (callgrindFile) execFileSync('callgrind_control', ['--instr=off', String(pid)]);
          quotaAfter = quota?.stats() ?? [];
        },
      },
    });
    const { results } = phase;
    // The timed window on CLOCK_MONOTONIC (µs), the clock of the profile's timestamps, to profile the downloads alone.
    if (profileDir) {
      // window.json is the last run's (the brainpool half's in the load bench); window-PID.json goes with the
      // profile of that server process (CPU.*.PID.0.*.cpuprofile), so each half keeps its own window.
      const window = JSON.stringify({ startUs: Number(windowStartUs), endUs: Number(process.hrtime.bigint() / 1000n) });
      writeFileSync(join(profileDir, 'window.json'), window);
      writeFileSync(join(profileDir, `window-${pid}.json`), window);
    }
    // What the server printed during the window (with BENCH_SERVER_NODE_FLAGS=--trace-deopt, its deoptimisations).
    if (outputFile) writeFileSync(outputFile, server.output().slice(outputBefore));
    const wire = wireCalls(results.map((r) => r.wire));
    // The floor needs the endpoint's certificate and key, so it runs before the PKI's folder is removed.
    const floorOptions = { configFile, endpoint: brainpool ? 1 : 0, calls: wire, input: { ca: clientInput.ca, ...(brainpool ? { curve: 'brp' as const } : {}) }, orders, warmup, concurrency };
    const floor = options.floor === true ? await runFloor(floorOptions) : undefined;
    const plainFloor = options.plainFloor === true ? await runFloor({ ...floorOptions, transport: 'http' }) : undefined;
    const tlsSocketFloor = options.tlsSocketFloor === true ? await runFloor({ ...floorOptions, transport: 'tls' }) : undefined;
    return {
      downloads,
      warmupDownloads: warmup,
      concurrency,
      elapsedS: phase.elapsedS,
      latenciesMs: results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b),
      errors: results.flatMap((r) => r.errors),
      connections: results.reduce((sum, r) => sum + r.connections, 0),
      resumedSessions: results.reduce((sum, r) => sum + r.resumed, 0),
      serverCpuMs: phase.cpuMsPerProcess.reduce((sum, ms) => sum + ms, 0),
      serverCpuMsPerProcess: phase.cpuMsPerProcess,
      serverSystemCpuMs: phase.systemCpuMs,
      serverPeakRssKiB: pids.reduce((sum, pid) => sum + processPeakRssKiB(pid), 0),
      downloadsPerProcess: splitOf(results),
      warmupDownloadsPerProcess: phase.warmupSplit,
      wire,
      ...(floor === undefined ? {} : { floor }),
      ...(plainFloor === undefined ? {} : { plainFloor }),
      ...(tlsSocketFloor === undefined ? {} : { tlsSocketFloor }),
      ...(quota === undefined
        ? {}
        : {
            serverCpuQuota: {
              coresPerProcess: quota.coresPerProcess,
              throttledPeriods: quotaAfter.map((stat, i) => stat.throttled - (quotaBefore[i]?.throttled ?? 0)),
              activePeriods: quotaAfter.map((stat, i) => stat.periods - (quotaBefore[i]?.periods ?? 0)),
            },
          }),
    };
  } finally {
    await server.interrupt(10_000);
    quota?.close();
    pki.cleanup();
  }
}

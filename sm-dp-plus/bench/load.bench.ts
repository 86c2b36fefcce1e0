// `npm run bench`: the SM-DP+ under load, isolated: a real SM-DP+ in a process of its own (SQLite store,
// orders placed over ES2+ beforehand), BENCH_CONCURRENCY (default 4) client processes doing BENCH_DOWNLOADS
// (default 40) downloads as field devices do (LPA + eUICC with real ECDSA/ECKA, one keep-alive connection
// with TLS session reuse each; the BPP is not installed, the card's signed result is sent at once). The
// server's CPU per download (from /proc) is set against the crypto of one download on the same curve,
// measured in the same run (testing/src/bench/downloadCrypto.ts): the ratio is what HTTP, TLS, JSON, ASN.1 and storage cost on
// top of the crypto. Once with the SGP.26 NIST eUICC (P-256), once with the brainpoolP256r1 one on the
// SM-DP+'s brainpool ES9+ endpoint.
// BENCH_WARMUP (default 500) downloads run first and are not timed, so the figures are a warmed-up server's.
// Then, in the same run, the HTTPS floor (testing/src/smdp/httpsFloor.ts): node:https with the endpoint's TLS
// settings answering the recorded request and response sizes with canned bodies, driven the same way. Its CPU
// per download is what Node's HTTPS alone costs; (floor + crypto) / crypto is the best ratio this design could
// reach if all of the SM-DP+'s own code cost nothing. The same over plain TCP (TLS's share), and over bare TLS
// sockets with no HTTP module (testing/src/smdp/tlsSocketFloor.ts): what any server on Node's TLS pays.
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { runLoad } from '@zkesim/testing/smdp/load';
import { describeWire } from '@zkesim/testing/smdp/wire';
import type { FloorResult } from '@zkesim/testing/smdp/httpsFloor';
import type { CurveName } from '@zkesim/protocol';
import { coldCryptoOfOneDownload, cryptoOfOneDownload } from '@zkesim/testing/bench/downloadCrypto';

export async function loadFigures(downloads: number, concurrency: number, curve: CurveName = 'P-256', warmupDownloads?: number): Promise<BenchFigure[]> {
  const load = await runLoad({ downloads, concurrency, curve: curve === 'P-256' ? 'nist' : 'brp', floor: true, plainFloor: true, tlsSocketFloor: true, ...(warmupDownloads === undefined ? {} : { warmupDownloads }) });
  const crypto = cryptoOfOneDownload(curve);
  const coldCryptoMs = coldCryptoOfOneDownload(curve);
  const { latenciesMs } = load;
  const percentile = (p: number): number => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor((p / 100) * latenciesMs.length))] ?? 0;
  const completed = latenciesMs.length;
  const cpuPerDownloadMs = load.serverCpuMs / Math.max(1, completed);
  const note = `${downloads} downloads, ${concurrency} client processes, server in its own process, ${curve}`;
  // The P-256 figures keep their names; the brainpool ones name the curve.
  const label = curve === 'P-256' ? 'smdp load' : `smdp load (${curve})`;
  return [
    { name: `${label}: warm-up downloads (not timed)`, value: load.warmupDownloads, unit: '', note: 'BENCH_WARMUP; before the timed window, left out of every figure' },
    { name: `${label}: downloads per second`, value: completed / load.elapsedS, unit: '/s', note },
    { name: `${label}: latency p50`, value: percentile(50), unit: 'ms' },
    { name: `${label}: latency p95`, value: percentile(95), unit: 'ms' },
    { name: `${label}: latency p99`, value: percentile(99), unit: 'ms' },
    { name: `${label}: errors`, value: load.errors.length, unit: '', ...(load.errors[0] === undefined ? {} : { note: load.errors[0] }) },
    { name: `${label}: server CPU per download`, value: cpuPerDownloadMs, unit: 'ms', note: 'utime + stime from /proc' },
    { name: `${label}: of which kernel (stime)`, value: load.serverSystemCpuMs / Math.max(1, completed), unit: 'ms', note: 'socket and file writes, epoll' },
    { name: `${label}: server crypto per download`, value: crypto.serverMs, unit: 'ms', note: `testing/src/bench/downloadCrypto.ts, ${curve}, same run` },
    { name: `${label}: server CPU per download / crypto`, value: cpuPerDownloadMs / crypto.serverMs, unit: 'x' },
    {
      name: `${label}: server crypto per download, caches cold`,
      value: coldCryptoMs,
      unit: 'ms',
      note: 'the same calls each timed alone with 8 MiB written between two, as a download\'s other work does in the server; median of 100',
    },
    { name: `${label}: TLS connections opened`, value: load.connections, unit: '', note: `${load.resumedSessions} resumed a TLS session; keep-alive` },
    { name: `${label}: server peak RSS`, value: load.serverPeakRssKiB / 1024, unit: 'MiB', note: 'VmHWM' },
    ...floorFigures(label, load.floor, cpuPerDownloadMs, crypto.serverMs, describeWire(load.wire)),
    ...(load.plainFloor === undefined ? [] : [plainFloorFigure(label, load.plainFloor)]),
    ...tlsSocketFloorFigures(label, load.tlsSocketFloor, crypto.serverMs, coldCryptoMs),
  ];
}

/** CPU per download of a floor (ms), and a note of its kernel share, rate and any failed download. */
function perDownload(floor: FloorResult): { ms: number; note: string } {
  const errors = floor.errors.length === 0 ? '' : `; ${floor.errors.length} floor downloads failed: ${floor.errors[0] ?? ''}`;
  const downloads = Math.max(1, floor.downloads);
  return { ms: floor.cpuMs / downloads, note: `of which kernel ${(floor.systemCpuMs / downloads).toFixed(2)} ms; ${(floor.downloads / floor.elapsedS).toFixed(0)} downloads/s${errors}` };
}

/** The floor without TLS: the HTTPS floor less this is what TLS costs the server per download. */
function plainFloorFigure(label: string, floor: FloorResult): BenchFigure {
  const { ms, note } = perDownload(floor);
  return { name: `${label}: plain HTTP floor per download`, value: ms, unit: 'ms', note: `node:http, HTTP/1.1 over TCP without TLS, same bodies; ${note}` };
}

/**
 * Bare TLS sockets answering the same bytes without Node's HTTP module: the HTTPS floor less it is what Node's
 * HTTP/1.1 server costs per download; (it + crypto) / crypto is the best ratio of any server on Node's TLS, and
 * (it + the crypto's calls as they cost between other work) / crypto the best such a server can really reach.
 */
function tlsSocketFloorFigures(label: string, floor: FloorResult | undefined, cryptoMs: number, coldCryptoMs: number): BenchFigure[] {
  if (floor === undefined) return [];
  const { ms, note } = perDownload(floor);
  return [
    {
      name: `${label}: TLS socket floor per download`,
      value: ms,
      unit: 'ms',
      note: `node:tls with the endpoint's TLS and no HTTP module, replaying the plain floor's answers byte for byte; ${note}`,
    },
    { name: `${label}: (TLS socket floor + crypto) / crypto`, value: (ms + cryptoMs) / cryptoMs, unit: 'x', note: 'the best ratio of a server on Node\'s TLS sockets whose HTTP and own code cost nothing' },
    {
      name: `${label}: (TLS socket floor + cold crypto) / crypto`,
      value: (ms + coldCryptoMs) / cryptoMs,
      unit: 'x',
      note: 'the same with the crypto as its calls cost between other work (caches cold)',
    },
  ];
}

/** The HTTPS floor's lines: its CPU per download, the SM-DP+'s above it, and both set against the crypto. */
function floorFigures(label: string, floor: FloorResult | undefined, serverMs: number, cryptoMs: number, wire: string): BenchFigure[] {
  if (floor === undefined) return [];
  const { ms: floorMs, note } = perDownload(floor);
  const aboveMs = serverMs - floorMs;
  return [
    {
      name: `${label}: HTTPS floor per download`,
      value: floorMs,
      unit: 'ms',
      note: `node:https alone with the endpoint's TLS, canned bodies of the recorded sizes (${wire}); ${note}`,
    },
    { name: `${label}: server CPU above the HTTPS floor per download`, value: aboveMs, unit: 'ms', note: `the SM-DP+'s own code, crypto included` },
    { name: `${label}: (HTTPS floor + crypto) / crypto`, value: (floorMs + cryptoMs) / cryptoMs, unit: 'x', note: `the best ratio if all of the SM-DP+'s own code cost nothing` },
    { name: `${label}: server CPU above the HTTPS floor / crypto`, value: aboveMs / cryptoMs, unit: 'x' },
  ];
}

export default async function bench(): Promise<BenchFigure[]> {
  const downloads = Number(process.env.BENCH_DOWNLOADS ?? '40');
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? '4');
  // BENCH_CURVE=P-256 or brainpoolP256r1: that half alone (e.g. one callgrind file per curve).
  const only = process.env.BENCH_CURVE;
  if (only !== undefined && only !== 'P-256' && only !== 'brainpoolP256r1') throw new Error(`BENCH_CURVE must be P-256 or brainpoolP256r1, not ${only}`);
  const curves: readonly CurveName[] = only === undefined ? ['P-256', 'brainpoolP256r1'] : [only];
  const figures: BenchFigure[] = [];
  for (const curve of curves) figures.push(...(await loadFigures(downloads, concurrency, curve)));
  return figures;
}

// `npm run bench`: the SM-DP+ under load, isolated: a real SM-DP+ in a process of its own (SQLite store,
// orders placed over ES2+ beforehand), BENCH_CONCURRENCY (default 4) client processes doing BENCH_DOWNLOADS
// (default 40) downloads as field devices do (LPA + eUICC with real ECDSA/ECKA, one keep-alive connection
// with TLS session reuse each; the BPP is not installed, the card's signed result is sent at once). The
// server's CPU per download (from /proc) is set against the crypto of one download measured in the same
// run (bench/crypto.ts): the ratio is what HTTP, TLS, JSON, ASN.1 and storage cost on top of the crypto.
// BENCH_WARMUP (default 500) downloads run first and are not timed, so the figures are a warmed-up server's.
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { runLoad } from '@zkesim/testing/smdp/load';
import { cryptoOfOneDownload } from './crypto.js';

export async function loadFigures(downloads: number, concurrency: number, warmup?: number): Promise<BenchFigure[]> {
  const load = await runLoad({ downloads, concurrency, ...(warmup === undefined ? {} : { warmup }) });
  const crypto = cryptoOfOneDownload();
  const { latenciesMs } = load;
  const percentile = (p: number): number => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor((p / 100) * latenciesMs.length))] ?? 0;
  const completed = latenciesMs.length;
  const cpuPerDownloadMs = load.serverCpuMs / Math.max(1, completed);
  const note = `${downloads} downloads, ${concurrency} client processes, server in its own process, P-256`;
  return [
    { name: 'smdp load: warm-up downloads (not timed)', value: load.warmup, unit: '', note: 'BENCH_WARMUP; before the timed window, left out of every figure' },
    { name: 'smdp load: downloads per second', value: completed / load.elapsedS, unit: '/s', note },
    { name: 'smdp load: latency p50', value: percentile(50), unit: 'ms' },
    { name: 'smdp load: latency p95', value: percentile(95), unit: 'ms' },
    { name: 'smdp load: latency p99', value: percentile(99), unit: 'ms' },
    { name: 'smdp load: errors', value: load.errors.length, unit: '', ...(load.errors[0] === undefined ? {} : { note: load.errors[0] }) },
    { name: 'smdp load: server CPU per download', value: cpuPerDownloadMs, unit: 'ms', note: 'utime + stime from /proc' },
    { name: 'smdp load: of which kernel (stime)', value: load.serverSystemCpuMs / Math.max(1, completed), unit: 'ms', note: 'socket and file writes, epoll' },
    { name: 'smdp load: server crypto per download', value: crypto.serverMs, unit: 'ms', note: 'bench/crypto.ts, same run' },
    { name: 'smdp load: server CPU per download / crypto', value: cpuPerDownloadMs / crypto.serverMs, unit: 'x' },
    { name: 'smdp load: TLS connections opened', value: load.connections, unit: '', note: `${load.resumedSessions} resumed a TLS session; keep-alive` },
    { name: 'smdp load: server peak RSS', value: load.serverPeakRssKiB / 1024, unit: 'MiB', note: 'VmHWM' },
  ];
}

export default function bench(): Promise<BenchFigure[]> {
  return loadFigures(Number(process.env.BENCH_DOWNLOADS ?? '40'), Number(process.env.BENCH_CONCURRENCY ?? '4'));
}

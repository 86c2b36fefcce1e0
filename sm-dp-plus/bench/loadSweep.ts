// `npm run bench -- load-sweep [--svg DIR] [--concurrency 1,2,4,8,16] [--downloads N] [--engine sqlite] [--processes 1] [--server-cpu Q]`
// The load generator (testing/src/smdp/load.ts) at each concurrency, one series per storage engine and
// server process count. Every series measured is merged into DIR/load-sweep.json (a series of the same
// engine and process count is replaced, the others kept), and the charts are drawn again from all series
// in that file: DIR/load-downloads-per-second.svg and DIR/load-latency-p99.svg. So series measured at
// different times (SQLite now, PostgreSQL with one and two processes later) end up in the same charts.
// --server-cpu Q: each server process in a cgroup of its own with a quota of Q cores (testing/src/bench/cpuQuota.ts;
// root only, refused otherwise); such a series is kept apart from the uncapped one of the same engine and processes.
// Not a *.bench.ts: a sweep takes minutes, so `npm run bench` alone does not run it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { lineChartSvg, type ChartSeries } from '@zkesim/testing/bench/svgChart';
import { CpuQuotaGroups, parseServerCpu } from '@zkesim/testing/bench/cpuQuota';
import { runLoad } from '@zkesim/testing/smdp/load';
import { createDatabase, startPostgresServer } from '@zkesim/testing/postgres/server';
import { cryptoOfOneDownload } from '@zkesim/testing/bench/downloadCrypto';

export interface SweepPoint {
  concurrency: number;
  downloads: number;
  downloadsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  serverCpuPerDownloadMs: number;
  cryptoPerDownloadMs: number;
  serverPeakRssMiB: number;
}

export interface SweepSeries {
  engine: string;
  processes: number;
  /** Cores per server process when capped (--server-cpu). */
  serverCpu?: number;
  measuredAt: string;
  machine: string;
  points: SweepPoint[];
}

export interface SweepFile {
  series: Record<string, SweepSeries>;
}

const engineNames: Record<string, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

export function seriesLabel(series: Pick<SweepSeries, 'engine' | 'processes' | 'serverCpu'>): string {
  const quota = series.serverCpu === undefined ? '' : `, ${series.serverCpu} core each`;
  return `${engineNames[series.engine] ?? series.engine}, ${series.processes} process${series.processes === 1 ? '' : 'es'}${quota}`;
}

/** The key of a series in the sweep file: engine, processes, and the quota when capped. */
export function seriesKey(series: Pick<SweepSeries, 'engine' | 'processes' | 'serverCpu'>): string {
  return `${series.engine}-${series.processes}${series.serverCpu === undefined ? '' : `-cpu${series.serverCpu}`}`;
}

/** The two charts of a sweep file: downloads/s and p99 latency against concurrency, one line per series. */
export function sweepCharts(file: SweepFile): { name: string; svg: string }[] {
  const series = Object.values(file.series).sort((a, b) => a.engine.localeCompare(b.engine) || a.processes - b.processes);
  const lines = (value: (p: SweepPoint) => number): ChartSeries[] =>
    series.map((s) => ({ name: seriesLabel(s), points: [...s.points].sort((a, b) => a.concurrency - b.concurrency).map((p) => [p.concurrency, value(p)] as const) }));
  return [
    {
      name: 'load-downloads-per-second.svg',
      svg: lineChartSvg({ title: 'SM-DP+ complete downloads per second', xLabel: 'concurrent clients', yLabel: 'downloads/s', series: lines((p) => p.downloadsPerSecond) }),
    },
    {
      name: 'load-latency-p99.svg',
      svg: lineChartSvg({ title: 'SM-DP+ download latency, 99th percentile', xLabel: 'concurrent clients', yLabel: 'p99 latency (ms)', series: lines((p) => p.p99Ms) }),
    },
  ];
}

export function markdownTable(series: SweepSeries): string {
  const rows = [...series.points].sort((a, b) => a.concurrency - b.concurrency).map((p) =>
    `| ${p.concurrency} | ${p.downloadsPerSecond.toFixed(1)} | ${p.p50Ms.toFixed(0)} | ${p.p95Ms.toFixed(0)} | ${p.p99Ms.toFixed(0)} | ${p.errors} | ${p.serverCpuPerDownloadMs.toFixed(2)} | ${p.cryptoPerDownloadMs.toFixed(2)} | ${(p.serverCpuPerDownloadMs / p.cryptoPerDownloadMs).toFixed(1)}x |`,
  );
  return [
    `${seriesLabel(series)} (${series.points[0]?.downloads ?? 0} downloads per point, ${series.measuredAt})`,
    '',
    '| clients | downloads/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/download | crypto ms/download | ratio |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

export async function loadSweep(args: readonly string[]): Promise<void> {
  const dir = option(args, 'svg');
  const engine = option(args, 'engine') ?? 'sqlite';
  const processes = Number(option(args, 'processes') ?? '1');
  const downloads = Number(option(args, 'downloads') ?? '200');
  const levels = (option(args, 'concurrency') ?? '1,2,4,8,16').split(',').map(Number);
  if (levels.some((c) => !Number.isInteger(c) || c < 1) || !Number.isInteger(downloads) || downloads < 1) throw new Error('--concurrency takes positive integers (1,2,4) and --downloads a positive integer');
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`--engine is sqlite or postgres, not ${engine}`);
  if (!Number.isInteger(processes) || processes < 1) throw new Error('--processes takes a positive integer');
  const serverCpuText = option(args, 'server-cpu');
  const serverCpu = serverCpuText === undefined ? undefined : parseServerCpu(serverCpuText, cpus().length);
  // Refused before PostgreSQL starts when this machine cannot cap processes.
  if (serverCpu !== undefined) CpuQuotaGroups.open(serverCpu);
  // PostgreSQL: one server for the sweep, a fresh database per point (testing/src/postgres).
  const postgres = engine === 'postgres' ? await startPostgresServer() : undefined;
  const points: SweepPoint[] = [];
  try {
    for (const concurrency of levels) {
      const storage = postgres === undefined ? undefined : { kind: 'postgres' as const, url: await createDatabase(postgres.adminUrl, 'sweep'), maxConnections: 8, outboxClaimMs: 60_000 };
      const load = await runLoad({
        downloads, concurrency, ...(storage === undefined ? {} : { storage }), ...(processes > 1 ? { workers: processes } : {}), ...(serverCpu === undefined ? {} : { serverCpu }),
      });
      const crypto = cryptoOfOneDownload();
      const ms = load.latenciesMs;
      const percentile = (p: number): number => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? 0;
      const point: SweepPoint = {
        concurrency, downloads, downloadsPerSecond: ms.length / load.elapsedS, p50Ms: percentile(50), p95Ms: percentile(95), p99Ms: percentile(99),
        errors: load.errors.length, serverCpuPerDownloadMs: load.serverCpuMs / Math.max(1, ms.length), cryptoPerDownloadMs: crypto.serverMs,
        serverPeakRssMiB: load.serverPeakRssKiB / 1024,
      };
      points.push(point);
      console.log(`concurrency ${concurrency}: ${point.downloadsPerSecond.toFixed(1)} downloads/s, p99 ${point.p99Ms.toFixed(0)} ms, ${point.errors} errors, server CPU ${point.serverCpuPerDownloadMs.toFixed(2)} ms/download`);
    }
  } finally {
    await postgres?.stop();
  }
  const series: SweepSeries = { engine, processes, ...(serverCpu === undefined ? {} : { serverCpu }), measuredAt: new Date().toISOString().slice(0, 10), machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} CPUs, Node ${process.version}`, points };
  console.log(`\n${markdownTable(series)}`);
  if (dir === undefined) return;
  mkdirSync(dir, { recursive: true });
  const dataFile = join(dir, 'load-sweep.json');
  const file: SweepFile = existsSync(dataFile) ? (JSON.parse(readFileSync(dataFile, 'utf8')) as SweepFile) : { series: {} };
  file.series[seriesKey(series)] = series;
  writeFileSync(dataFile, `${JSON.stringify(file, null, 2)}\n`);
  for (const chart of sweepCharts(file)) writeFileSync(join(dir, chart.name), chart.svg);
  console.log(`\nwrote ${dataFile} and the charts ${sweepCharts(file).map((c) => c.name).join(', ')} in ${dir}`);
}

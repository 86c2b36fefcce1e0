// `npm run bench`: the SM-DP+ under the load of load.bench.ts, on PostgreSQL (a throwaway server started for the
// run, as the tests do: testing/src/postgres/server.ts), with one server process and with two
// (`smdp serve --workers 2`, the download sessions in the database). Same clients, same downloads; the server's
// CPU is summed over its processes. The last figure is the throughput of two processes over one.
// BENCH_SERVER_CPU=Q (cores, e.g. 0.5): each server process gets a CPU quota of Q cores in a cgroup of its own
// (testing/src/bench/cpuQuota.ts; root only), so that the server tier, not the clients and PostgreSQL that
// share the machine's cores, is the bottleneck: then the last figure is how the server tier scales.
// BENCH_WARMUP=N (default 500, as for load.bench.ts: load.ts resolves it): N downloads per server process
// before the timed ones (2N with two), so that each process's JIT warm-up stays out of the figures.
// Every client takes its next download from one queue (load.ts), so a worker that got fewer connections does
// not leave the other to finish alone; the note of the downloads line gives the split per worker.
import { cpus } from 'node:os';
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { parseServerCpu } from '@zkesim/testing/bench/cpuQuota';
import { runLoad, type LoadResult } from '@zkesim/testing/smdp/load';
import { createDatabase, startPostgresServer } from '@zkesim/testing/postgres/server';

/**
 * With workers: the primary's CPU per download, and each worker's per download it bound (its CPU over the
 * downloads whose X-Zkesim-Worker named it; cluster ids count the workers in the order they were forked, the
 * order of the primary's children in /proc).
 */
function perWorker(load: LoadResult): string {
  const [primary = 0, ...workers] = load.serverCpuMsPerProcess;
  const own = workers.map((ms, i) => {
    const bound = load.downloadsPerProcess[String(i + 1)] ?? 0;
    return `${(ms / Math.max(1, bound)).toFixed(2)} (${bound})`;
  });
  return `primary ${(primary / Math.max(1, load.latenciesMs.length)).toFixed(2)} ms per download, each worker per download it bound (downloads): ${own.join(', ')} ms`;
}

function figures(label: string, load: LoadResult): { figures: BenchFigure[]; perSecond: number } {
  const { latenciesMs } = load;
  const percentile = (p: number): number => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor((p / 100) * latenciesMs.length))] ?? 0;
  const perSecond = latenciesMs.length / load.elapsedS;
  const split = (counts: Record<string, number>): string =>
    Object.keys(counts).length > 1 ? ` (by worker ${Object.entries(counts).map(([worker, n]) => `${worker}: ${n}`).join(', ')})` : '';
  const note =
    `${load.downloads} downloads${split(load.downloadsPerProcess)}, ${load.concurrency} client processes, P-256` +
    (load.warmupDownloads > 0 ? `, after ${load.warmupDownloads} untimed${split(load.warmupDownloadsPerProcess)}` : '');
  const quota = load.serverCpuQuota;
  return {
    perSecond,
    figures: [
      { name: `smdp load postgres ${label}: downloads per second`, value: perSecond, unit: '/s', note },
      { name: `smdp load postgres ${label}: latency p50`, value: percentile(50), unit: 'ms' },
      { name: `smdp load postgres ${label}: latency p99`, value: percentile(99), unit: 'ms' },
      { name: `smdp load postgres ${label}: errors`, value: load.errors.length, unit: '', ...(load.errors[0] === undefined ? {} : { note: load.errors[0] }) },
      {
        name: `smdp load postgres ${label}: server CPU per download`,
        value: load.serverCpuMs / Math.max(1, latenciesMs.length),
        unit: 'ms',
        note: [
          `all server processes, /proc${load.serverCpuMsPerProcess.length > 1 ? `; ${perWorker(load)}` : ''}`,
          ...(quota === undefined
            ? []
            : [`periods held back by the quota: ${quota.throttledPeriods.map((n, i) => `${n} of ${quota.activePeriods[i] ?? '?'} active`).join(', ')}`]),
        ].join('; '),
      },
    ],
  };
}

/**
 * Whether the quota was what limited every capped process (the ratio then says how the server tier scales), or a
 * process was short of work (the clients or PostgreSQL, on the rest of the machine, limited the run): the least
 * share of its active CFS periods in which a process was held back, against 90 %.
 */
function saturation(loads: LoadResult[]): string {
  const shares = loads.flatMap((load) => {
    const quota = load.serverCpuQuota;
    return quota === undefined ? [] : quota.throttledPeriods.map((n, i) => n / Math.max(1, quota.activePeriods[i] ?? 0));
  });
  const least = Math.min(...shares);
  const percent = `${(least * 100).toFixed(0)} %`;
  return least >= 0.9
    ? `every capped process held back by its quota in at least ${percent} of its active periods: the quota was the limit`
    : `a capped process was held back in only ${percent} of its active periods: it waited for work (clients or PostgreSQL on a busy machine), so this ratio is not the server tier's scaling`;
}

/** `serverCpu`: cores per server process (a cgroup CPU quota each), or none. */
export async function postgresLoadFigures(downloads: number, concurrency: number, serverCpu?: number, warmupDownloads?: number): Promise<BenchFigure[]> {
  let server: Awaited<ReturnType<typeof startPostgresServer>>;
  try {
    server = await startPostgresServer();
  } catch (error) {
    // No PostgreSQL on this machine: the other benchmarks still run.
    return [{ name: 'smdp load postgres: not measured', value: 0, unit: '', note: String(error).slice(0, 120) }];
  }
  try {
    const storage = async () => ({ kind: 'postgres' as const, url: await createDatabase(server.adminUrl, 'bench'), maxConnections: 8, outboxClaimMs: 60_000 });
    const capped = { ...(serverCpu === undefined ? {} : { serverCpu }), ...(warmupDownloads === undefined ? {} : { warmupDownloads }) };
    const quota = serverCpu === undefined ? '' : ` (quota ${serverCpu} per process)`;
    const oneLoad = await runLoad({ downloads, concurrency, storage: await storage(), ...capped });
    const twoLoad = await runLoad({ downloads, concurrency, storage: await storage(), workers: 2, ...capped });
    const one = figures(`1 process${quota}`, oneLoad);
    const two = figures(`2 processes${quota}`, twoLoad);
    return [
      ...one.figures,
      ...two.figures,
      {
        name: `smdp load postgres${quota}: 2 processes / 1 process`,
        value: two.perSecond / Math.max(1e-9, one.perSecond),
        unit: 'x',
        note: ['downloads per second', ...(serverCpu === undefined ? [] : [saturation([oneLoad, twoLoad])])].join('; '),
      },
    ];
  } finally {
    await server.stop();
  }
}

export default function bench(): Promise<BenchFigure[]> {
  const quota = process.env.BENCH_SERVER_CPU;
  return postgresLoadFigures(
    Number(process.env.BENCH_DOWNLOADS ?? '40'),
    Number(process.env.BENCH_CONCURRENCY ?? '4'),
    quota === undefined ? undefined : parseServerCpu(quota, cpus().length),
  );
}

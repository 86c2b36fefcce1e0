// `npm run bench`: N complete downloads through the real HTTPS SM-DP+ on loopback, driven by the
// software eUICC (euicc-sim, ES10 over APDUs in process, loading and installing each BPP) through the
// project's LPA (lpa-core) as client, and — measured in the same run — the bare
// crypto of one download (every signature, verification, key agreement and the BPP encryption) as the
// ceiling. BENCH_DOWNLOADS (default 40) and BENCH_CONCURRENCY (default 4) tune the run. The encryption at
// rest of Ki, OPc and confirmation-code digests is counted during the downloads (seals and opens through
// the store's sealer) and priced with the same sealer timed alone, against the crypto of the same run.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { Lpa } from '@zkesim/testing/smdp/lpa-core';
import type { SmdpMetrics } from '../src/adapters/http/metrics.js';
import { AesGcmSealer } from '../src/adapters/secrets/aesGcmSealer.js';
import type { SecretSealer } from '../src/core/secretSealer.js';
import { bindEs9Port, startHarness } from '@zkesim/testing/smdp/harness';
import { sgp26Card, sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { smdpHost } from '@zkesim/testing/smdp/testPki';
import { cryptoOfOneDownload } from '@zkesim/testing/bench/downloadCrypto';

const downloads = Number(process.env.BENCH_DOWNLOADS ?? '40');
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? '4');

/** One complete download: lpa-core drives a fresh software eUICC, which loads and installs the BPP itself. */
async function oneDownload(address: string, ca: string, matchingId: string): Promise<number> {
  const started = performance.now();
  const { card } = sgp26Card();
  const lpa = await Lpa.open({ transport: card, https: { trustedCertificates: [ca], resolve: { [smdpHost]: '127.0.0.1' } } });
  const result = await lpa.downloadProfile({ smdpAddress: address, matchingId });
  await lpa.close();
  if (result.notifications.length === 0) throw new Error('the install notification was not sent');
  return performance.now() - started;
}

/** The store's sealer, counting what it does. */
function countingSealer(inner: SecretSealer): SecretSealer & { counts: { seal: number; open: number }; reset(): void } {
  const counts = { seal: 0, open: 0 };
  return {
    counts,
    reset: () => {
      counts.seal = 0;
      counts.open = 0;
    },
    seal: (plaintext, associatedData) => {
      counts.seal += 1;
      return inner.seal(plaintext, associatedData);
    },
    open: (sealed, associatedData) => {
      counts.open += 1;
      return inner.open(sealed, associatedData);
    },
  };
}

/** Mean time (ms) of one seal and one open of a 16-byte secret (a Ki) with associated data. */
async function sealerCost(sealer: SecretSealer): Promise<{ sealMs: number; openMs: number }> {
  const ki = new Uint8Array(16).fill(0x4b);
  const associatedData = 'profiles.ki#8949449999990000012';
  const sealed = await sealer.seal(ki, associatedData);
  const time = async (work: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 200; i += 1) await work();
    const rounds = 5000;
    const start = performance.now();
    for (let i = 0; i < rounds; i += 1) await work();
    return (performance.now() - start) / rounds;
  };
  return { sealMs: await time(() => sealer.seal(ki, associatedData)), openMs: await time(() => sealer.open(sealed, associatedData)) };
}

/** Mean time the SM-DP+ spent in each ES9+ function, from its own latency histogram. */
async function serverTimePerFunction(histogram: SmdpMetrics['functionSeconds']): Promise<[string, number][]> {
  const values = (await histogram.get()).values;
  const sums = new Map<string, { sum: number; count: number }>();
  for (const value of values) {
    const fn = String(value.labels.function);
    if (value.labels.interface !== 'es9plus') continue;
    const entry = sums.get(fn) ?? { sum: 0, count: 0 };
    if (value.metricName === 'smdp_function_duration_seconds_sum') entry.sum += value.value;
    if (value.metricName === 'smdp_function_duration_seconds_count') entry.count += value.value;
    sums.set(fn, entry);
  }
  return [...sums].filter(([, e]) => e.count > 0).map(([fn, e]) => [fn, (1000 * e.sum) / e.count]);
}

export default async function bench(): Promise<BenchFigure[]> {
  const es9 = await bindEs9Port();
  const { port, address } = es9;
  const sealer = countingSealer(new AesGcmSealer(randomBytes(32)));
  const harness = await startHarness(
    (config) => {
      config.address = address;
      const endpoint = config.es9[0];
      if (endpoint !== undefined) endpoint.port = port;
      config.limits.maxConcurrentPerAddress = Math.max(16, concurrency * 2);
    },
    downloads,
    { sealer, boundSockets: es9.boundSockets },
  );
  const ca = readFileSync(harness.pki.ciNist, 'utf8');
  try {
    const orders: string[] = [];
    for (let i = 0; i < downloads; i += 1) {
      const matchingId = `BENCH-${i}`;
      await harness.order({ eid: sgp26Eid, matchingId });
      orders.push(matchingId);
    }
    sealer.reset();
    const latencies: number[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < orders.length) {
          const matchingId = orders[next++] as string;
          latencies.push(await oneDownload(address, ca, matchingId));
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const sealing = { ...sealer.counts };
    const installed = await harness.smdp.repository.transaction((tx) => tx.countProfiles('installed'));
    if (installed !== downloads) throw new Error(`only ${installed} of ${downloads} profiles installed`);
    latencies.sort((a, b) => a - b);
    const percentile = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    const rate = downloads / elapsedS;
    const ceiling = cryptoOfOneDownload();
    const serverMs = await serverTimePerFunction(harness.smdp.metrics.functionSeconds);
    const { sealMs, openMs } = await sealerCost(new AesGcmSealer(randomBytes(32)));
    const atRestMs = (sealing.seal * sealMs + sealing.open * openMs) / downloads;
    const note = `${downloads} downloads, ${concurrency} in parallel, P-256, lpa-core + euicc-sim in the same process`;
    return [
      { name: 'smdp download: complete downloads per second', value: rate, unit: '/s', note },
      { name: 'smdp download: latency p50', value: percentile(50), unit: 'ms' },
      { name: 'smdp download: latency p99', value: percentile(99), unit: 'ms' },
      { name: 'smdp download: crypto of one download, server side', value: ceiling.serverMs, unit: 'ms' },
      { name: 'smdp download: crypto of one download, server + eUICC', value: ceiling.totalMs, unit: 'ms' },
      { name: 'smdp download: crypto ceiling (server + eUICC, one core)', value: 1000 / ceiling.totalMs, unit: '/s' },
      { name: 'smdp download: measured / ceiling', value: rate / (1000 / ceiling.totalMs), unit: 'ratio' },
      ...serverMs.map(([fn, ms]) => ({ name: `smdp download: server time in ${fn} (mean)`, value: ms, unit: 'ms' })),
      {
        name: 'smdp download: server time per download (sum of means)',
        value: serverMs.reduce((sum, [, ms]) => sum + ms, 0),
        unit: 'ms',
      },
      {
        name: 'smdp download: encryption at rest per download',
        value: atRestMs,
        unit: 'ms',
        note: `${(sealing.open / downloads).toFixed(1)} opens + ${(sealing.seal / downloads).toFixed(1)} seals, AES-256-GCM`,
      },
      { name: 'smdp download: encryption at rest / server-side crypto', value: atRestMs / ceiling.serverMs, unit: 'ratio' },
      { name: 'smdp download: peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB' },
    ];
  } finally {
    await harness.close();
  }
}

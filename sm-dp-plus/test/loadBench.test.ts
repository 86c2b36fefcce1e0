// The load benchmark (bench/load.bench.ts) runs end to end on a few downloads: a separate SM-DP+ process,
// client processes, every figure produced, no download failing. Timing values are not asserted.
import { describe, expect, it } from 'vitest';
import { runLoad } from '@zkesim/testing/smdp/load';
import { loadFigures } from '../bench/load.bench.js';

describe('SM-DP+ load benchmark', () => {
  it('completes a few downloads against a separate server process and reports every figure', { timeout: 120_000 }, async () => {
    const figures = await loadFigures(4, 2, 'P-256', 2);
    const byName = new Map(figures.map((figure) => [figure.name, figure]));
    expect(byName.get('smdp load: errors')).toMatchObject({ value: 0 });
    for (const name of [
      'smdp load: downloads per second',
      'smdp load: latency p50',
      'smdp load: latency p95',
      'smdp load: latency p99',
      'smdp load: server CPU per download',
      'smdp load: server crypto per download',
      'smdp load: server CPU per download / crypto',
      'smdp load: server peak RSS',
      'smdp load: TLS connections opened',
    ]) {
      expect(byName.get(name)?.value, name).toBeGreaterThan(0);
    }
    expect(byName.get('smdp load: server CPU per download / crypto')?.unit).toBe('x');
    // The HTTPS floor ran after the SM-DP+'s window, with the same warm-up and downloads, none failing.
    const floor = byName.get('smdp load: HTTPS floor per download');
    expect(floor?.unit).toBe('ms');
    expect(floor?.value).toBeGreaterThanOrEqual(0);
    expect(floor?.note).toMatch(/getBoundProfilePackage \d+ B in, \d{5} B out, HTTP 200; handleNotification \d+ B in, 0 B out, HTTP 204/);
    expect(floor?.note).not.toContain('failed');
    expect(byName.get('smdp load: plain HTTP floor per download')?.note).not.toContain('failed');
    // Bare TLS sockets answered the same downloads (a failed one is named in the note), set against the crypto.
    const tlsSocket = byName.get('smdp load: TLS socket floor per download');
    expect(tlsSocket?.unit).toBe('ms');
    expect(tlsSocket?.note).not.toContain('failed');
    const coldMs = byName.get('smdp load: server crypto per download, caches cold')?.value ?? 0;
    expect(coldMs).toBeGreaterThan(0);
    expect(byName.get('smdp load: (TLS socket floor + cold crypto) / crypto')?.value).toBeCloseTo(((tlsSocket?.value ?? 0) + coldMs) / (byName.get('smdp load: server crypto per download')?.value ?? 1), 9);
    expect(byName.get('smdp load: (TLS socket floor + crypto) / crypto')?.value).toBeCloseTo(((tlsSocket?.value ?? 0) + (byName.get('smdp load: server crypto per download')?.value ?? 0)) / (byName.get('smdp load: server crypto per download')?.value ?? 1), 9);
    const serverMs = byName.get('smdp load: server CPU per download')?.value ?? 0;
    const cryptoMs = byName.get('smdp load: server crypto per download')?.value ?? 0;
    expect(byName.get('smdp load: server CPU above the HTTPS floor per download')?.value).toBeCloseTo(serverMs - (floor?.value ?? 0), 9);
    expect(byName.get('smdp load: (HTTPS floor + crypto) / crypto')?.value).toBeCloseTo(((floor?.value ?? 0) + cryptoMs) / cryptoMs, 9);
    expect(byName.get('smdp load: server CPU above the HTTPS floor / crypto')?.value).toBeCloseTo((serverMs - (floor?.value ?? 0)) / cryptoMs, 9);
    // The warm-up ran (its orders were placed and downloaded: a failing one throws) and is reported, not timed.
    expect(byName.get('smdp load: warm-up downloads (not timed)')?.value).toBe(2);
    expect(byName.get('smdp load: of which kernel (stime)')?.value).toBeGreaterThanOrEqual(0);
    // Keep-alive: each of the 2 timed clients reuses its connection for its 2 downloads (8 requests); the
    // warm-up clients' connections are not counted.
    expect(byName.get('smdp load: TLS connections opened')?.value).toBeLessThanOrEqual(2);
  });

  it('runs the brainpoolP256r1 eUICC on the brainpool ES9+ endpoint with zero errors, set against the brainpool yardstick', { timeout: 120_000 }, async () => {
    const figures = await loadFigures(4, 2, 'brainpoolP256r1', 0);
    const byName = new Map(figures.map((figure) => [figure.name, figure]));
    expect(byName.get('smdp load (brainpoolP256r1): errors')).toMatchObject({ value: 0 });
    expect(byName.get('smdp load (brainpoolP256r1): downloads per second')?.value).toBeGreaterThan(0);
    expect(byName.get('smdp load (brainpoolP256r1): server crypto per download')?.note).toContain('brainpoolP256r1');
    expect(byName.get('smdp load (brainpoolP256r1): server CPU per download / crypto')?.value).toBeGreaterThan(0);
    expect(byName.get('smdp load (brainpoolP256r1): (HTTPS floor + crypto) / crypto')?.value).toBeGreaterThanOrEqual(1);
    expect(byName.get('smdp load (brainpoolP256r1): HTTPS floor per download')?.note).not.toContain('failed');
  });

  it('does warm-up downloads outside the timed window, and refuses a warm-up count that is not a whole number', { timeout: 60_000 }, async () => {
    await expect(runLoad({ downloads: 1, concurrency: 1, warmupDownloads: -1 })).rejects.toThrow(/BENCH_WARMUP/);
    const load = await runLoad({ downloads: 2, concurrency: 2, warmupDownloads: 2 });
    expect(load.errors).toEqual([]);
    expect(load.warmupDownloads).toBe(2);
    expect(load.latenciesMs).toHaveLength(2);
    // One server process: every download bound there (no worker header), warm-up and timed alike.
    expect(load.downloadsPerProcess).toEqual({ '-': 2 });
    expect(load.warmupDownloadsPerProcess).toEqual({ '-': 2 });
  });
});

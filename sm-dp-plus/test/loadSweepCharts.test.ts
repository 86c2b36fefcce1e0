// The load sweep's charts and table (bench/loadSweep.ts): every series of the sweep file, whatever engine and
// process count measured it, is drawn in both charts and labelled by engine and process count.
import { describe, expect, it } from 'vitest';
import { loadSweep, markdownTable, seriesKey, seriesLabel, sweepCharts, type SweepPoint, type SweepSeries } from '../bench/loadSweep.js';

const polylines = (svg: string): string[] => [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1] ?? '');

function point(concurrency: number, downloadsPerSecond: number, p99Ms: number): SweepPoint {
  return { concurrency, downloads: 100, downloadsPerSecond, p50Ms: p99Ms / 2, p95Ms: p99Ms * 0.9, p99Ms, errors: 0, serverCpuPerDownloadMs: 4, cryptoPerDownloadMs: 1, serverPeakRssMiB: 200 };
}

describe('load sweep charts', () => {
  it('puts every series of a sweep file in both charts, labelled by engine and process count', () => {
    const series = (engine: string, processes: number, scale: number): SweepSeries => ({
      engine, processes, measuredAt: '2026-12-05', machine: 'test', points: [point(4, 40 * scale, 90), point(1, 10 * scale, 30)],
    });
    const charts = sweepCharts({ series: { 'sqlite-1': series('sqlite', 1, 1), 'postgres-2': series('postgres', 2, 1.8), 'postgres-1': series('postgres', 1, 1) } });
    expect(charts.map((c) => c.name)).toEqual(['load-downloads-per-second.svg', 'load-latency-p99.svg']);
    for (const chart of charts) {
      expect(polylines(chart.svg)).toHaveLength(3);
      expect(chart.svg).toContain('SQLite, 1 process');
      expect(chart.svg).toContain('PostgreSQL, 2 processes');
    }
    const table = markdownTable(series('sqlite', 1, 1));
    expect(table.split('\n').slice(-2)).toEqual(['| 1 | 10.0 | 15 | 27 | 30 | 0 | 4.00 | 1.00 | 4.0x |', '| 4 | 40.0 | 45 | 81 | 90 | 0 | 4.00 | 1.00 | 4.0x |']);
  });

  it('keeps a series measured with --server-cpu apart from the uncapped one, and labels its quota', () => {
    const uncapped = { engine: 'postgres', processes: 2 };
    const capped = { engine: 'postgres', processes: 2, serverCpu: 0.5 };
    expect(seriesKey(uncapped)).toBe('postgres-2');
    expect(seriesKey(capped)).toBe('postgres-2-cpu0.5');
    expect(seriesLabel(capped)).toBe('PostgreSQL, 2 processes, 0.5 core each');
    expect(seriesLabel(uncapped)).toBe('PostgreSQL, 2 processes');
  });

  it('refuses a bad --server-cpu before it starts anything', async () => {
    await expect(loadSweep(['--engine', 'postgres', '--server-cpu', '0'])).rejects.toThrow(/--server-cpu takes the cores per server process/);
    await expect(loadSweep(['--server-cpu', 'half'])).rejects.toThrow(/--server-cpu takes the cores per server process/);
  });
});

// The line-chart SVG of the load sweep: one polyline per series with its points inside the plot, names
// escaped, bad input refused.
import { describe, expect, it } from 'vitest';
import { lineChartSvg } from './svgChart.js';

const polylines = (svg: string): [number, number][][] =>
  [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => (m[1] ?? '').split(' ').map((pair) => pair.split(',').map(Number) as [number, number]));

describe('line chart SVG', () => {
  it('draws each series as a polyline inside the plot, x on a log2 scale, y rising upwards', () => {
    const svg = lineChartSvg({ title: 'T', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[1, 10], [2, 20], [4, 30]] }, { name: 'b', points: [[1, 5], [4, 40]] }] });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const [a, b] = polylines(svg);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(2);
    for (const [x, y] of [...(a ?? []), ...(b ?? [])]) {
      expect(x).toBeGreaterThanOrEqual(70);
      expect(x).toBeLessThanOrEqual(620);
      expect(y).toBeGreaterThanOrEqual(40);
      expect(y).toBeLessThanOrEqual(310);
    }
    const [p1, p2, p4] = a ?? [];
    // log2: 1 → 2 is as wide as 2 → 4; a higher value is drawn higher (smaller y).
    expect((p2?.[0] ?? 0) - (p1?.[0] ?? 0)).toBeCloseTo((p4?.[0] ?? 0) - (p2?.[0] ?? 0), 1);
    expect(p2?.[1]).toBeLessThan(p1?.[1] ?? 0);
    expect(svg.match(/<circle /g)).toHaveLength(5);
  });

  it('escapes names and titles, and refuses empty series and x ≤ 0', () => {
    const svg = lineChartSvg({ title: 'a < b & c', xLabel: 'x', yLabel: 'y', series: [{ name: '"q" <s>', points: [[1, 1]] }] });
    expect(svg).toContain('a &lt; b &amp; c');
    expect(svg).toContain('&quot;q&quot; &lt;s&gt;');
    expect(() => lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'n', points: [] }] })).toThrow(/at least one point/);
    expect(() => lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'n', points: [[0, 1]] }] })).toThrow(/x > 0/);
  });

});

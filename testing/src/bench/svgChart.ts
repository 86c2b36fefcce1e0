// A line chart as a standalone SVG document, for the figures `npm run bench -- load-sweep --svg DIR` writes
// into docs/performance/. Plain text generation: one polyline and its point markers per series, axes with
// ticks and a legend; no script, no external fonts or styles, so the file renders the same on GitHub and in
// a browser. The x values are placed on a log2 scale (concurrency 1, 2, 4, 8 … comes out evenly spaced).

export interface ChartSeries {
  /** Legend text, e.g. "SQLite, 1 process". */
  name: string;
  /** [x, y] pairs; x > 0. Drawn in the order given. */
  points: readonly (readonly [number, number])[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
}

const width = 640;
const height = 400;
const margin = { left: 70, right: 20, top: 40, bottom: 90 };
/** Colour-blind-safe palette (Okabe–Ito), one colour per series in order. */
const colours = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/** Escapes text for SVG character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 1, 2 or 5 times a power of ten, so that about `count` steps cover `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 5, 10].find((f) => f * power >= raw) ?? 10;
  return factor * power;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3).replace(/\.?0+$/, '');
}

/** The SVG document of a line chart. Throws on a series without points or with x ≤ 0 or non-finite values. */
export function lineChartSvg(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points);
  if (chart.series.length === 0 || chart.series.some((s) => s.points.length === 0)) throw new Error('every series needs at least one point');
  if (all.some(([x, y]) => !(x > 0) || !Number.isFinite(x) || !Number.isFinite(y))) throw new Error('points need finite values and x > 0');
  const xs = [...new Set(all.map(([x]) => x))].sort((a, b) => a - b);
  const lx = (x: number) => Math.log2(x);
  const [xMin, xMax] = [lx(xs[0] as number), lx(xs.at(-1) as number)];
  const yStep = niceStep(Math.max(...all.map(([, y]) => y), 1e-9), 5);
  const yMax = Math.ceil(Math.max(...all.map(([, y]) => y)) / yStep) * yStep || yStep;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  // Points are kept 16 px inside the plot's left and right edges, so their markers are not cut by the axes.
  const px = (x: number) => margin.left + 16 + (xMax === xMin ? (plotW - 32) / 2 : ((lx(x) - xMin) / (xMax - xMin)) * (plotW - 32));
  const py = (y: number) => margin.top + plotH - (Math.max(0, y) / yMax) * plotH;
  const r = (n: number) => n.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(chart.title)}</text>`,
  ];
  for (let y = 0; y <= yMax + yStep / 2; y += yStep) {
    out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${r(py(y))}" y2="${r(py(y))}" stroke="#dddddd"/>`);
    out.push(`<text x="${margin.left - 6}" y="${r(py(y) + 4)}" text-anchor="end">${format(y)}</text>`);
  }
  for (const x of xs) out.push(`<text x="${r(px(x))}" y="${r(margin.top + plotH + 18)}" text-anchor="middle">${format(x)}</text>`);
  out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333333"/>`);
  out.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#333333"/>`);
  out.push(`<text x="${margin.left + plotW / 2}" y="${margin.top + plotH + 38}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`);
  chart.series.forEach((series, i) => {
    const colour = colours[i % colours.length] as string;
    const coordinates = series.points.map(([x, y]) => `${r(px(x))},${r(py(y))}`);
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${coordinates.join(' ')}"/>`);
    for (const c of coordinates) {
      const [cx, cy] = c.split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${colour}"/>`);
    }
    const legendX = margin.left + (i % 3) * 190;
    const legendY = height - 22 + Math.floor(i / 3) * 16 - (chart.series.length > 3 ? 10 : 0);
    out.push(`<line x1="${legendX}" x2="${legendX + 24}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${colour}" stroke-width="2"/>`);
    out.push(`<text x="${legendX + 30}" y="${legendY}">${escapeXml(series.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

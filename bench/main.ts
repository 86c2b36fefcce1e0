// `npm run bench`: runs every `<package>/bench/*.bench.ts` (or the ones whose path contains argv[2])
// and prints one table. Each bench file default-exports an async function returning its figures.
// `npm run bench -- load-sweep [--svg DIR] …` runs the SM-DP+ load sweep instead (sm-dp-plus/bench/loadSweep.ts).
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchFigure } from '@zkesim/testing/bench/figure';

const root = resolve(import.meta.dirname, '..');
const filter = process.argv[2];
if (filter === 'load-sweep') {
  const { loadSweep } = (await import(pathToFileURL(join(root, 'sm-dp-plus', 'bench', 'loadSweep.ts')).href)) as { loadSweep: (args: readonly string[]) => Promise<void> };
  await loadSweep(process.argv.slice(3));
  process.exit(0);
}
const files = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'bench')))
  .flatMap((entry) =>
    readdirSync(join(root, entry.name, 'bench'))
      .filter((file) => file.endsWith('.bench.ts'))
      .map((file) => join(root, entry.name, 'bench', file)),
  )
  .filter((file) => filter === undefined || file.includes(filter))
  .sort();

for (const file of files) {
  const module = (await import(pathToFileURL(file).href)) as { default: () => Promise<BenchFigure[]> };
  const figures = await module.default();
  console.log(`\n## ${file.slice(root.length + 1)}`);
  for (const figure of figures) {
    const value = figure.value >= 100 ? figure.value.toFixed(0) : figure.value.toPrecision(4);
    console.log(`${figure.name.padEnd(56)} ${value.padStart(12)} ${figure.unit}${figure.note ? `  (${figure.note})` : ''}`);
  }
}

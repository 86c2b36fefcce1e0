// What a benchmark reports: each `<package>/bench/*.bench.ts` default-exports an async function returning
// these, and `npm run bench` (bench/main.ts) prints them as one table. Shared here so that a package's
// benchmarks reach it by name (@zkesim/testing/bench/figure) instead of climbing out of their package.
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

import { defineConfig } from 'vitest/config';

// Tests that start pcscd share one system daemon and the fixed vpcd ports (35963/35964), so they run in
// a project of their own, one file after another; everything else runs in parallel.
const PCSC_TESTS = ['**/pcsc*.test.ts'];
const ALL_TESTS = ['*/src/**/*.test.ts', '*/test/**/*.test.ts', 'test/**/*.test.ts'];
const IGNORED = ['**/node_modules/**', 'data/**', '.scratch/**'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      // One PostgreSQL server for the run (initdb into a temp folder; each test file makes its own databases).
      { extends: true, test: { name: 'parallel', include: ALL_TESTS, exclude: [...IGNORED, ...PCSC_TESTS], globalSetup: ['testing/src/postgres/globalSetup.ts'] } },
      { extends: true, test: { name: 'pcsc', include: PCSC_TESTS.map((glob) => glob), exclude: IGNORED, fileParallelism: false } },
    ],
  },
});

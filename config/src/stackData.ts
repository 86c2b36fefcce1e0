// Where the stack keeps its data, found the same way by every command: `zkesim start` writes there, and
// `zkesim lpa`, `zkesim chain …` and `zkesim smdp …` read there by default. ZKESIM_DATA_DIR, else ./data.
import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Environment } from './loader.js';

/** The stack's data directory: ZKESIM_DATA_DIR (relative to `cwd`), else `<cwd>/data`. */
export function stackDataDir(env: Environment, cwd: string): string {
  const configured = env.ZKESIM_DATA_DIR;
  return resolve(cwd, configured === undefined || configured === '' ? 'data' : configured);
}

/** The layout of a data directory. */
export function stackPaths(dataDir: string) {
  return {
    /** Development PKI (`zkesim pki init --dir`, or created by `zkesim start`). */
    pki: join(dataDir, 'pki'),
    /** The SM-DP+'s database and log. */
    smdp: join(dataDir, 'smdp'),
    /** The SM-DP+ configuration `zkesim start` runs with; `zkesim smdp …` reads it when given no other. */
    smdpConfig: join(dataDir, 'smdp', 'config.json'),
    /** The chain layer: bundled node state, contract addresses, anchor outbox. */
    chain: join(dataDir, 'chain'),
    /** The LPA's files (kept Bound Profile Packages). */
    lpa: join(dataDir, 'lpa'),
    /** The operator component of the demo (apps/src/operator): its own KYC store, which no service of ours opens. */
    operator: join(dataDir, 'operator'),
  };
}

/**
 * Creates the data directory (or restricts an existing one) to its owner: mode 0700, so that the keys,
 * databases and logs inside are out of reach of other users whatever their own modes (SECURITY.md).
 */
export function ensurePrivateDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

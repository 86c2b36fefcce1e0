// The Semaphore proving artifacts come from the npm package @zk-kit/semaphore-artifacts (one wasm witness
// generator and one zkey per tree depth, 1 to 32) and are read from local files: a proof never downloads anything.
// Without these paths @semaphore-protocol/proof would fetch them from the network.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InvalidIdentityProof } from '../errors.js';

const require = createRequire(import.meta.url);

export const MIN_TREE_DEPTH = 1;
export const MAX_TREE_DEPTH = 32;

export interface SnarkArtifactPaths {
  wasm: string;
  zkey: string;
}

/** The folder of @zk-kit/semaphore-artifacts, or `directory` when the caller keeps a copy elsewhere. */
export function semaphoreArtifactDirectory(directory?: string): string {
  return directory ?? dirname(require.resolve('@zk-kit/semaphore-artifacts/package.json'));
}

/** Local paths of the depth-`depth` circuit; throws when the files are missing. */
export function semaphoreArtifacts(depth: number, directory?: string): SnarkArtifactPaths {
  if (!Number.isInteger(depth) || depth < MIN_TREE_DEPTH || depth > MAX_TREE_DEPTH) {
    throw new InvalidIdentityProof(`tree depth ${depth} is not supported (${MIN_TREE_DEPTH}..${MAX_TREE_DEPTH})`);
  }
  const folder = semaphoreArtifactDirectory(directory);
  const paths = { wasm: join(folder, `semaphore-${depth}.wasm`), zkey: join(folder, `semaphore-${depth}.zkey`) };
  for (const path of Object.values(paths)) {
    if (!existsSync(path)) throw new InvalidIdentityProof(`Semaphore artifact ${path} is missing (npm package @zk-kit/semaphore-artifacts)`);
  }
  return paths;
}

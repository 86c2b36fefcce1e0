// Semaphore v4 proofs made with local artifacts and checked off chain (@semaphore-protocol/proof, whose
// verification keys are built in), plus the conversions to what Semaphore's contracts take and a proof file
// reader. A proof shows that its maker knows the secret of one commitment of a group (Merkle root), without
// saying which, and binds a message and a scope; its nullifier is Poseidon(scope, secret), the same for the same
// identity and scope, which is how a verifier refuses a second use.
import { readFileSync } from 'node:fs';
import { Group } from '@semaphore-protocol/group';
import { generateProof, verifyProof } from '@semaphore-protocol/proof';
import type { BigNumberish } from 'ethers';
import { z } from 'zod';
import { InvalidIdentityProof } from '../errors.js';
import { MAX_TREE_DEPTH, MIN_TREE_DEPTH, semaphoreArtifacts } from './artifacts.js';
import type { Identity } from './identity.js';

export { Group };

/**
 * A Semaphore v4 proof as @semaphore-protocol/proof makes and takes it (decimal strings; `points` is the packed
 * Groth16 proof). Declared here because the package's type re-export does not resolve under NodeNext.
 */
export interface SemaphoreProof {
  merkleTreeDepth: number;
  merkleTreeRoot: string;
  message: string;
  nullifier: string;
  scope: string;
  points: string[];
}

export interface ProofOptions {
  /** Circuit depth: at least the group's depth; a larger one hides the group's size. Default: the group's own. */
  depth?: number;
  /** Folder holding semaphore-<depth>.wasm|.zkey; default: the @zk-kit/semaphore-artifacts package. */
  artifactDirectory?: string;
}

/**
 * Proves that `identity` is a member of `group` (a Group, or its members in insertion order with 0 for removed
 * ones) for `scope` and `message`. Takes about a second of CPU per proof; call `releaseProver()` before exit.
 */
export async function generateIdentityProof(
  identity: Identity,
  group: Group | readonly bigint[],
  scope: BigNumberish,
  message: BigNumberish,
  options: ProofOptions = {},
): Promise<SemaphoreProof> {
  const tree = group instanceof Group ? group : new Group([...group]);
  if (tree.indexOf(identity.commitment) < 0) throw new InvalidIdentityProof('the identity is not a member of the group');
  const depth = options.depth ?? Math.max(MIN_TREE_DEPTH, tree.depth);
  if (depth < tree.depth) throw new InvalidIdentityProof(`depth ${depth} is smaller than the group's depth ${tree.depth}`);
  const artifacts = semaphoreArtifacts(depth, options.artifactDirectory);
  return (await generateProof(identity, tree, BigInt(message), BigInt(scope), depth, artifacts)) as SemaphoreProof;
}

/** True when `proof` is a valid Semaphore proof (SNARK check only: which group root it names is the caller's). */
export async function verifyIdentityProof(proof: SemaphoreProof): Promise<boolean> {
  const parsed = semaphoreProofSchema.safeParse(proof);
  if (!parsed.success) return false;
  try {
    return await verifyProof(parsed.data as Parameters<typeof verifyProof>[0]);
  } catch {
    return false;
  }
}

/**
 * snarkjs keeps worker threads for the BN254 curve after a proof or verification, which keeps Node alive;
 * a CLI or test calls this when done (a later proof starts new workers).
 */
export async function releaseProver(): Promise<void> {
  const holder = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  await holder.curve_bn128?.terminate();
}

/** The proof as Semaphore's `SemaphoreProof` struct (ISemaphore.sol) for an ethers call. */
export interface SolidityProof {
  merkleTreeDepth: bigint;
  merkleTreeRoot: bigint;
  nullifier: bigint;
  message: bigint;
  scope: bigint;
  points: bigint[];
}

export function toSolidityProof(proof: SemaphoreProof): SolidityProof {
  return {
    merkleTreeDepth: BigInt(proof.merkleTreeDepth),
    merkleTreeRoot: BigInt(proof.merkleTreeRoot),
    nullifier: BigInt(proof.nullifier),
    message: BigInt(proof.message),
    scope: BigInt(proof.scope),
    points: proof.points.map((point) => BigInt(point)),
  };
}

const numeric = z.string().regex(/^\d{1,78}$/, 'a decimal number');

/** A SemaphoreProof as JSON: what `generateIdentityProof` returns, written with JSON.stringify. */
export const semaphoreProofSchema = z.object({
  merkleTreeDepth: z.number().int().min(MIN_TREE_DEPTH).max(MAX_TREE_DEPTH),
  merkleTreeRoot: numeric,
  message: numeric,
  nullifier: numeric,
  scope: numeric,
  points: z.array(numeric).length(8),
});

/** Parses JSON text into a SemaphoreProof; the error names the field that is wrong. */
export function parseSemaphoreProof(text: string): SemaphoreProof {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidIdentityProof(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = semaphoreProofSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidIdentityProof(`not a Semaphore proof: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function readSemaphoreProofFile(file: string): SemaphoreProof {
  return parseSemaphoreProof(readFileSync(file, 'utf8'));
}

// `zkesim lpa identity prove`: a Semaphore proof made on the device side with the enabled profile's subscriber
// identity. The LPA asks the eUICC for the identity with its secret (vendor ES10 'FA', includeSecret), rebuilds
// the subscriber group from the chain the identity names (Semaphore's events, checked against the on-chain root),
// or takes the group of one (`--group self`: the proof a Subscriber contract's executeWithProof takes), and proves
// with the local artifacts. The proof JSON is what `zkesim chain verify-proof FILE` reads.
import { stackDataDir, stackPaths } from '@zkesim/config';
import {
  SUBSCRIBER_PROOF_DEPTH, chainConfigFromEnvironment, readSubscriberGroup, createIdentity, generateIdentityProof, releaseProver,
  resolveChainEndpoint, type Group, type Identity, type SemaphoreProof,
} from '@zkesim/contracts';
import { InvalidInput } from '@zkesim/lpa-core';
import type { SubscriberIdentityView } from '@zkesim/protocol';

export interface ProveFlags {
  scope: string;
  message: string;
  /** `chain` (default): the subscriber group on chain; `self`: the group of the own commitment alone. */
  group?: string;
}

/**
 * A scope or message as the number Semaphore takes: decimal or 0x hex as given; any other text as its UTF-8
 * bytes read as a big-endian number (at most 32 bytes), so `--scope vote-2026` works too.
 */
export function proofValue(field: string, text: string): bigint {
  if (/^\d+$/.test(text)) return BigInt(text);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return BigInt(text);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0 || bytes.length > 32) throw new InvalidInput(field, 'must be a number, 0x hex, or text of 1 to 32 bytes');
  return BigInt(`0x${bytes.toString('hex')}`);
}

/**
 * Runs `body` with the Semaphore identity of the enabled profile's subscriber identity (read with its secret, which
 * is zeroed once the identity is built) and the subscriber group read from the chain the identity names (Semaphore's
 * events, checked against the on-chain root); the prover's worker threads are released afterwards.
 */
export async function withSubscriberGroup<T>(
  { identity, identitySecret: secret }: { identity: SubscriberIdentityView; identitySecret: Uint8Array },
  env: Record<string, string | undefined>, cwd: string,
  body: (semaphoreIdentity: Identity, group: Group | undefined) => Promise<T>, readGroup = true): Promise<T> {
  const semaphoreIdentity = createIdentity(secret);
  secret.fill(0);
  const commitment = BigInt(identity.commitment);
  if (semaphoreIdentity.commitment !== commitment) throw new InvalidInput('identity', 'the identity secret does not match the commitment in the profile');
  try {
    if (!readGroup) return await body(semaphoreIdentity, undefined);
    const config = chainConfigFromEnvironment(env);
    const endpoint = await resolveChainEndpoint({ dataDir: stackPaths(stackDataDir(env, cwd)).chain, config, readOnly: true });
    try {
      const group = await readSubscriberGroup(endpoint.rpcUrl, identity.registry, identity.chainId);
      if (group.indexOf(commitment) < 0) throw new InvalidInput('identity', 'the commitment is not a member of the subscriber group (not onboarded, or revoked)');
      return await body(semaphoreIdentity, group);
    } finally {
      await endpoint.node?.stop();
    }
  } finally {
    await releaseProver();
  }
}

/** The proof for `identity` (read with its secret). The identity's secret is dropped once the proof is made. */
export async function proveWithIdentity(
  identity: { identity: SubscriberIdentityView; identitySecret: Uint8Array },
  flags: ProveFlags, env: Record<string, string | undefined>, cwd: string): Promise<SemaphoreProof> {
  const scope = proofValue('scope', flags.scope);
  const message = proofValue('message', flags.message);
  const mode = flags.group ?? 'chain';
  if (mode !== 'chain' && mode !== 'self') throw new InvalidInput('group', 'must be chain or self');
  return withSubscriberGroup(identity, env, cwd, (semaphoreIdentity, group) =>
    group === undefined
      ? generateIdentityProof(semaphoreIdentity, [semaphoreIdentity.commitment], scope, message, { depth: SUBSCRIBER_PROOF_DEPTH })
      : generateIdentityProof(semaphoreIdentity, group, scope, message), mode === 'chain');
}

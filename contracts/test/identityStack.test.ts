// The identity contracts in the stack's chain: the first start deploys Semaphore and the registry with the
// anchor; a data directory recorded before the identity layer gets them added (its DownloadAnchor and roots kept);
// `zkesim chain verify-proof FILE` checks a proof off chain and on chain against the stack's group.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveChainConfig } from '../src/client/chainConfig.js';
import { openChainStack } from '../src/chainService.js';
import { systemDeps } from '../src/deps.js';
import { DEPLOYMENT_FILE, type Deployment } from '../src/deploy/ensureDeployed.js';
import { chainVerifyProof, type ChainCommandIo } from '../src/cli.js';
import { SubscriberRegistry, createIdentity, generateIdentityProof, releaseProver } from '../src/identity/index.js';
import { connectSemaphore } from '../src/generated/index.js';
import { removeDir, tempDir } from '@zkesim/testing/chain/nodes';

function captureIo(): ChainCommandIo & { lines: string[] } {
  const lines: string[] = [];
  return { env: {}, lines, write: (line) => void lines.push(line) };
}

describe('identity contracts in the stack', () => {
  const dataDir = tempDir('identity-stack');
  afterAll(async () => {
    await releaseProver();
    removeDir(dataDir);
  });

  it('deploys Semaphore and the registry, and chain verify-proof checks a proof off and on chain (exit 0, 1 forged, 2 unreadable)', async () => {
    const config = resolveChainConfig({});
    const stack = await openChainStack({ dataDir, config, deps: systemDeps() });
    const identity = createIdentity();
    try {
      const { deployment, client } = stack;
      expect(deployment.groupId).toBe('0');
      const semaphore = connectSemaphore(deployment.semaphore, client.provider);
      expect(await semaphore.getGroupAdmin(0n)).toBe(deployment.subscriberFactory);
      const registry = SubscriberRegistry.forClient(client, deployment);
      await registry.onboardMany([{ commitment: createIdentity().commitment }, { commitment: identity.commitment }]);
      const proof = await generateIdentityProof(identity, await registry.group(), 1n, 99n);
      writeFileSync(join(dataDir, 'proof.json'), JSON.stringify(proof));
      writeFileSync(join(dataDir, 'forged.json'), JSON.stringify({ ...proof, scope: '2' }));
      writeFileSync(join(dataDir, 'broken.json'), JSON.stringify({ ...proof, points: proof.points.slice(1) }));
    } finally {
      await stack.close();
    }

    // The CLI starts the bundled node from the saved state by itself.
    const valid = captureIo();
    expect(await chainVerifyProof(dataDir, join(dataDir, 'proof.json'), valid)).toBe(0);
    expect(valid.lines.join('\n')).toMatch(/off chain valid\non chain {2}valid .*\ngroup {5}accepted by subscriber group 0/);
    const forged = captureIo();
    expect(await chainVerifyProof(dataDir, join(dataDir, 'forged.json'), forged)).toBe(1);
    expect(forged.lines.join('\n')).toMatch(/off chain INVALID\non chain {2}INVALID/);
    const broken = captureIo();
    expect(await chainVerifyProof(dataDir, join(dataDir, 'broken.json'), broken)).toBe(2);
    expect(broken.lines.join('\n')).toMatch(/not a Semaphore proof: points/);
  }, 60_000);

  it('adds the identity contracts to a data directory recorded before them, keeping its DownloadAnchor', async () => {
    const config = resolveChainConfig({});
    const file = join(dataDir, DEPLOYMENT_FILE);
    const current = JSON.parse(readFileSync(file, 'utf8')) as Deployment;
    const { semaphore: _s, semaphoreVerifier: _v, poseidonT3: _p, groupId: _g, ...older } = current;
    writeFileSync(file, JSON.stringify(older));
    const stack = await openChainStack({ dataDir, config, deps: systemDeps() });
    try {
      expect(stack.deployment.downloadAnchor).toBe(current.downloadAnchor);
      expect(stack.deployment.semaphore).not.toBe(current.semaphore);
      expect(stack.deployment.subscriberFactory).not.toBe(current.subscriberFactory);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(stack.deployment);
    } finally {
      await stack.close();
    }
  });
});

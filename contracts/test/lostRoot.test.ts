// A root the chain loses after the outbox marked it anchored is anchored again. The node takes the newest
// blocks away deterministically with evm_snapshot / evm_revert, as a node restarted from an older state
// (the bundled Anvil SIGKILLed before its state dump) or a reorganisation deeper than `confirmations` does.
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '@zkesim/protocol/ports';
import { resolveChainConfig } from '../src/client/chainConfig.js';
import { createAnchorWorker, openAnchorOutbox, openChainStack } from '../src/chainService.js';
import { connectDownloadAnchor } from '../src/generated/index.js';
import { verifyAnchorProof } from '../src/anchor/verifyProof.js';
import { systemDeps } from '../src/deps.js';
import { DeploymentMismatch } from '../src/errors.js';
import { startBundledNode } from '../src/node/bundledNode.js';
import { removeDir, tempDir, testProvider } from '@zkesim/testing/chain/nodes';
import { installResult } from '@zkesim/testing/chain/installResults';

function recordingLogger(lines: string[]): Logger {
  const write = (fields: object, message: string): void => void lines.push(`${message} ${JSON.stringify(fields)}`);
  return { debug: write, info: write, warn: write, error: write };
}

describe('an anchored root the chain lost', () => {
  const dataDir = tempDir('lost-root');
  afterAll(() => removeDir(dataDir));

  it('is anchored again on the next pass, once, and batches anchored before it are left alone', async () => {
    const config = resolveChainConfig({ maxBatchSize: 3, requestTimeoutMs: 5_000 });
    const stack = await openChainStack({ dataDir, config, deps: systemDeps() });
    const lines: string[] = [];
    const deps = systemDeps(recordingLogger(lines));
    const outbox = openAnchorOutbox(dataDir, deps.now);
    const worker = createAnchorWorker({ outbox, dataDir, rpcUrl: stack.endpoint.rpcUrl, privateKey: stack.endpoint.privateKey, config, deps });
    const provider = testProvider(stack.endpoint.rpcUrl);
    const anchor = connectDownloadAnchor(stack.deployment.downloadAnchor, provider);
    try {
      const ids = [0, 1, 2].map((index) => outbox.record(installResult(index)).eventId);
      expect((await worker.runOnce()).anchoredEvents).toBe(3);
      const snapshot = (await provider.send('evm_snapshot', [])) as string;
      ids.push(...[3, 4, 5, 6, 7].map((index) => outbox.record(installResult(index)).eventId));
      expect((await worker.runOnce()).anchoredEvents).toBe(5);
      expect(Number(await anchor.batchCount())).toBe(3);

      // The chain loses the two newest batches; the outbox still says anchored.
      expect(await provider.send('evm_revert', [snapshot])).toBe(true);
      expect(Number(await anchor.batchCount())).toBe(1);
      expect(outbox.backlog()).toEqual({ pendingEvents: 0, unanchoredBatches: 0, anchoredEvents: 8 });

      expect((await worker.runOnce()).anchoredEvents).toBe(5);
      expect(lines.filter((line) => line.startsWith('anchored root no longer on the chain'))).toHaveLength(2);
      expect(Number(await anchor.batchCount())).toBe(3);
      const batches = outbox.batches(10);
      expect(batches.map((batch) => batch.state)).toEqual(['anchored', 'anchored', 'anchored']);
      expect(new Set(batches.map((batch) => batch.batchNumber))).toEqual(new Set([1, 2, 3]));
      for (const eventId of ids) {
        const proof = outbox.proof(eventId);
        if (proof === undefined) throw new Error('event not batched');
        expect(await verifyAnchorProof(proof, stack.deployment.downloadAnchor, provider)).toMatchObject({ proofMatchesRoot: true, acceptedOnChain: true });
      }
      // Nothing changed on the chain: the next pass re-checks the newest batch only and sends nothing.
      const block = await provider.getBlockNumber();
      expect((await worker.runOnce()).anchoredEvents).toBe(0);
      expect(await provider.getBlockNumber()).toBe(block);
    } finally {
      await worker.stop();
      outbox.close();
      provider.destroy();
      await stack.close();
    }
  });

  it('names a chain that lost the contracts themselves, and keeps the events', async () => {
    const lostDir = tempDir('lost-contracts');
    const node = await startBundledNode({ dataDir: lostDir });
    const provider = testProvider(node.rpcUrl);
    const config = resolveChainConfig({ requestTimeoutMs: 5_000 });
    const before = (await provider.send('evm_snapshot', [])) as string;
    const stack = await openChainStack({ dataDir: lostDir, config, deps: systemDeps() });
    const outbox = openAnchorOutbox(lostDir, Date.now);
    const worker = createAnchorWorker({ outbox, dataDir: lostDir, rpcUrl: stack.endpoint.rpcUrl, privateKey: stack.endpoint.privateKey, config, deps: systemDeps() });
    try {
      outbox.record(installResult(0));
      expect((await worker.runOnce()).anchoredEvents).toBe(1);
      expect(await provider.send('evm_revert', [before])).toBe(true);
      outbox.record(installResult(1));
      await expect(worker.runOnce()).rejects.toThrow(DeploymentMismatch);
      expect(outbox.backlog()).toEqual({ pendingEvents: 1, unanchoredBatches: 0, anchoredEvents: 1 });
    } finally {
      await worker.stop();
      outbox.close();
      provider.destroy();
      await stack.close();
      await node.stop();
      removeDir(lostDir);
    }
  });
});

// Fault tolerance of the anchoring path on the bundled node: the node stops while downloads go on, the
// outbox grows and nothing is lost; when the node returns every event is anchored, and nothing twice.
import { afterAll, describe, expect, it } from 'vitest';
import { hexlify } from 'ethers';
import { AnchorOutbox } from '../src/anchor/anchorOutbox.js';
import { verifyAnchorProof } from '../src/anchor/verifyProof.js';
import { resolveChainConfig } from '../src/client/chainConfig.js';
import { openChainStack, createAnchorWorker, openAnchorOutbox } from '../src/chainService.js';
import { startBundledNode, type BundledNode } from '../src/node/bundledNode.js';
import { connectDownloadAnchor } from '../src/generated/index.js';
import type { Logger } from '@zkesim/protocol/ports';
import { systemDeps } from '../src/deps.js';
import { removeDir, tempDir, testProvider } from '@zkesim/testing/chain/nodes';
import { installResult } from '@zkesim/testing/chain/installResults';

function recordingLogger(lines: string[]): Logger {
  const write = (fields: object, message: string): void => void lines.push(`${message} ${JSON.stringify(fields)}`);
  return { debug: write, info: write, warn: write, error: write };
}

describe('anchoring survives a node outage', () => {
  const dataDir = tempDir('fault');
  let node: BundledNode | undefined;
  afterAll(async () => {
    await node?.stop();
    removeDir(dataDir);
  });

  it('keeps recording while the node is down and anchors everything exactly once when it returns', async () => {
    const config = resolveChainConfig({ maxBatchSize: 25, anchorIntervalMs: 100, requestTimeoutMs: 2_000 });
    const stack = await openChainStack({ dataDir, config, deps: systemDeps() });
    node = stack.endpoint.node;
    const { rpcUrl, privateKey } = stack.endpoint;
    // The port the node came up on; it is started again on the same one after the outage.
    const port = Number(new URL(rpcUrl).port);
    stack.client.destroy();

    const logLines: string[] = [];
    const deps = systemDeps(recordingLogger(logLines));
    const outbox: AnchorOutbox = openAnchorOutbox(dataDir, deps.now);
    const worker = createAnchorWorker({ outbox, dataDir, rpcUrl, privateKey, config, deps });
    const ids = [0, 1, 2, 3, 4].map((index) => outbox.record(installResult(index)).eventId);
    expect((await worker.runOnce()).anchoredEvents).toBe(5);

    // The node goes away; downloads keep completing and their results are recorded without waiting.
    await node?.stop();
    node = undefined;
    worker.start();
    for (let index = 5; index < 65; index += 1) {
      const started = performance.now();
      ids.push(outbox.record(installResult(index)).eventId);
      expect(performance.now() - started).toBeLessThan(250);
    }
    await new Promise((wake) => setTimeout(wake, 500));
    await expect(worker.runOnce()).rejects.toThrow();
    expect(outbox.backlog().pendingEvents + 25 * outbox.backlog().unanchoredBatches).toBeGreaterThanOrEqual(60);
    expect(logLines.some((line) => line.startsWith('anchor pass failed'))).toBe(true);

    // The node comes back (same state file, same port): the running worker catches up by itself.
    node = await startBundledNode({ dataDir, port });
    const deadline = Date.now() + 20_000;
    while (outbox.backlog().anchoredEvents < 65 && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 100));
    await worker.stop();
    expect(outbox.backlog()).toEqual({ pendingEvents: 0, unanchoredBatches: 0, anchoredEvents: 65 });

    // Nothing twice: the chain holds exactly the outbox's batches, their leaf counts add up to 65 events,
    // and every event's proof is accepted on chain.
    const provider = testProvider(node.rpcUrl);
    const anchor = connectDownloadAnchor(stack.deployment.downloadAnchor, provider);
    const roots = new Map<string, number>();
    for (const eventId of ids) {
      const proof = outbox.proof(eventId);
      if (proof === undefined) throw new Error('event not batched');
      expect(await verifyAnchorProof(proof, stack.deployment.downloadAnchor, provider)).toMatchObject({ proofMatchesRoot: true, acceptedOnChain: true });
      roots.set(hexlify(proof.root), proof.status.batchNumber ?? 0);
    }
    expect(Number(await anchor.batchCount())).toBe(roots.size);
    let leaves = 0;
    for (const root of roots.keys()) leaves += Number((await anchor.batchOf(root)).leafCount);
    expect(leaves).toBe(65);
    provider.destroy();
    outbox.close();
  });

  it('does not anchor a batch again when its root landed but the outbox never heard back', async () => {
    const config = resolveChainConfig({});
    node ??= await startBundledNode({ dataDir });
    const stack = await openChainStack({ dataDir, config, deps: systemDeps() });
    const outbox = new AnchorOutbox(':memory:');
    outbox.record(installResult(900));
    const batch = outbox.createBatch(10);
    if (batch === undefined) throw new Error('no batch');
    // The process "crashed" right after its anchor transaction was mined.
    const anchor = connectDownloadAnchor(stack.deployment.downloadAnchor, stack.client.wallet);
    await (await anchor.anchor(hexlify(batch.root), batch.leafCount)).wait();
    const before = await anchor.batchCount();
    const worker = createAnchorWorker({ outbox, dataDir, rpcUrl: stack.endpoint.rpcUrl, privateKey: stack.endpoint.privateKey, config, deps: systemDeps() });
    expect((await worker.runOnce()).anchoredEvents).toBe(1);
    expect(await anchor.batchCount()).toBe(before);
    await worker.stop();
    await stack.close();
    outbox.close();
  });
});

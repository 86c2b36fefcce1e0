// The download path's view: install results go into the durable outbox at once; the worker batches and
// anchors them; each event's proof then verifies against the on-chain root. Runs on both node kinds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexlify, type JsonRpcProvider } from 'ethers';
import { AnchorOutbox } from '../src/anchor/anchorOutbox.js';
import { verifyAnchorProof } from '../src/anchor/verifyProof.js';
import { resolveChainConfig } from '../src/client/chainConfig.js';
import { ChainClient } from '../src/client/chainClient.js';
import { ensureDeployed, type Deployment } from '../src/deploy/ensureDeployed.js';
import { createAnchorWorker } from '../src/chainService.js';
import { systemDeps } from '../src/deps.js';
import { InvalidAnchorEvent, UnknownAnchorEvent } from '../src/errors.js';
import { anchorEventId } from '../src/anchor/anchorRecord.js';
import { connectDownloadAnchor } from '../src/generated/index.js';
import { NODE_KINDS, fundedWallet, removeDir, startTestNode, tempDir, testProvider, type TestNode } from '@zkesim/testing/chain/nodes';
import { installResult } from '@zkesim/testing/chain/installResults';

describe('outbox record is synchronous, validated and idempotent', () => {
  it('records an install result durably and at once, rejects malformed input, and dedupes a repeat', () => {
    const dir = tempDir('outbox');
    const outbox = new AnchorOutbox(`${dir}/outbox.sqlite`, () => 1);
    const started = performance.now();
    const ids = Array.from({ length: 200 }, (_, index) => outbox.record(installResult(index)).eventId);
    const perEventMs = (performance.now() - started) / 200;
    expect(perEventMs).toBeLessThan(20);
    expect(new Set(ids).size).toBe(200);
    expect(outbox.record(installResult(7))).toEqual({ eventId: ids[7], duplicate: true });
    expect(outbox.status(ids[0] ?? anchorEventId('0x' + '00'.repeat(32))).state).toBe('pending');
    expect(outbox.proof(ids[0] ?? anchorEventId('0x' + '00'.repeat(32)))).toBeUndefined();
    expect(outbox.backlog()).toEqual({ pendingEvents: 200, unanchoredBatches: 0, anchoredEvents: 0 });
    expect(() => outbox.status(anchorEventId('0x' + 'ab'.repeat(32)))).toThrow(UnknownAnchorEvent);
    expect(() => outbox.record({ ...installResult(1), transactionId: new Uint8Array(17) })).toThrow(InvalidAnchorEvent);
    expect(() => outbox.record({ ...installResult(1), result: { kind: 'errorResult', bppCommandId: 300, errorReason: 1 } })).toThrow(InvalidAnchorEvent);
    expect(() => anchorEventId('0x1234')).toThrow(InvalidAnchorEvent);
    outbox.close();
    removeDir(dir);
  });
});

describe('outbox lookup by subscriber tag (the activity log)', () => {
  it('finds the events recorded under the given tags only, pending ones without a proof, batched ones with it', () => {
    const dir = tempDir('outbox-tags');
    const outbox = new AnchorOutbox(`${dir}/outbox.sqlite`, () => 1);
    const tag = (n: number) => new Uint8Array(32).fill(n);
    const mine = [0, 1].map((index) => outbox.record({ ...installResult(index), subscriber: { activityTag: tag(index + 1) } }).eventId);
    outbox.record({ ...installResult(2), subscriber: { activityTag: tag(9) } });
    expect(outbox.eventsOfSubscribers([])).toEqual([]);
    expect(outbox.eventsOfSubscribers([tag(1), tag(2), tag(3)]).map((event) => [event.status.eventId, event.status.state, event.proof])).toEqual([
      [mine[0], 'pending', undefined],
      [mine[1], 'pending', undefined],
    ]);
    outbox.createBatch(10);
    const [first] = outbox.eventsOfSubscribers([tag(1)]);
    expect(first?.status.state).toBe('batched');
    expect(first?.proof).toEqual(outbox.proof(mine[0] ?? anchorEventId('0x' + '00'.repeat(32))));
    expect(hexlify(first?.record.subscriber ?? new Uint8Array())).toBe(hexlify(tag(1)));
    outbox.close();
    removeDir(dir);
  });
});

describe('outbox batches, as the operator portal lists them', () => {
  it('lists batches newest first with their root, size and chain position once anchored', () => {
    const dir = tempDir('outbox-batches');
    const outbox = new AnchorOutbox(`${dir}/outbox.sqlite`, () => 5);
    expect(outbox.batches(10)).toEqual([]);
    for (let index = 0; index < 5; index++) outbox.record(installResult(index));
    const first = outbox.createBatch(3);
    const second = outbox.createBatch(3);
    if (first === undefined || second === undefined) throw new Error('no batch built');
    outbox.markSubmitted(first.batchId, new Uint8Array(32).fill(9));
    outbox.markAnchored(first.batchId, 1, 42);
    expect(outbox.batches(10)).toEqual([
      { batchId: second.batchId, root: second.root, leafCount: 2, state: 'built', createdAt: 5 },
      { batchId: first.batchId, root: first.root, leafCount: 3, state: 'anchored', transactionHash: new Uint8Array(32).fill(9), batchNumber: 1, blockNumber: 42, createdAt: 5, anchoredAt: 5 },
    ]);
    expect(outbox.batches(1)).toHaveLength(1);
    outbox.close();
    removeDir(dir);
  });
});

describe.each(NODE_KINDS)('anchoring install results on %s', (kind) => {
  let node: TestNode;
  let provider: JsonRpcProvider;
  let privateKey: string;
  let deployment: Deployment;
  const config = resolveChainConfig({ maxBatchSize: 40, feeBumpAfterMs: 5_000 });

  beforeAll(async () => {
    node = await startTestNode(kind);
    provider = testProvider(node.rpcUrl);
    privateKey = (await fundedWallet(provider)).privateKey;
    const client = await ChainClient.connect(node.rpcUrl, privateKey, config, systemDeps());
    deployment = await ensureDeployed(client, node.dataDir);
    // A second call re-uses the recorded addresses.
    expect(await ensureDeployed(client, node.dataDir)).toEqual(deployment);
    client.destroy();
  });

  afterAll(async () => {
    provider?.destroy();
    await node?.stop();
    if (node) removeDir(node.dataDir);
  });

  it('anchors a stream of 100 results in batches and proves every one against the on-chain root', async () => {
    const outbox = new AnchorOutbox(`${node.dataDir}/outbox.sqlite`, () => 1_790_000_000_000);
    const worker = createAnchorWorker({ outbox, dataDir: node.dataDir, rpcUrl: node.rpcUrl, privateKey, config, deps: systemDeps() });
    const ids = Array.from({ length: 100 }, (_, index) => outbox.record(installResult(index)).eventId);
    const pass = await worker.runOnce();
    expect(pass).toEqual({ anchoredEvents: 100, awaitingConfirmations: false });
    expect(outbox.backlog()).toEqual({ pendingEvents: 0, unanchoredBatches: 0, anchoredEvents: 100 });

    const roots = new Set<string>();
    for (const eventId of ids) {
      const proof = outbox.proof(eventId);
      if (proof === undefined) throw new Error(`no proof for ${eventId}`);
      expect(proof.status.state).toBe('anchored');
      roots.add(hexlify(proof.root));
      expect(await verifyAnchorProof(proof, deployment.downloadAnchor, provider)).toMatchObject({ proofMatchesRoot: true, acceptedOnChain: true });
    }
    expect(roots.size).toBe(3); // 40 + 40 + 20
    // A repeated install result after anchoring is still the same, already anchored event.
    expect(outbox.record(installResult(42))).toEqual({ eventId: ids[42], duplicate: true });
    expect((await worker.runOnce()).anchoredEvents).toBe(0);
    await worker.stop();
    outbox.close();
  });

  it('marks a batch anchored only once it is `confirmations` blocks deep', async () => {
    const outbox = new AnchorOutbox(`${node.dataDir}/deep.sqlite`, () => 1_790_000_000_000);
    const deepConfig = { ...config, confirmations: 3 };
    const worker = createAnchorWorker({ outbox, dataDir: node.dataDir, rpcUrl: node.rpcUrl, privateKey, config: deepConfig, deps: systemDeps() });
    const { eventId } = outbox.record(installResult(500));
    expect(await worker.runOnce()).toEqual({ anchoredEvents: 0, awaitingConfirmations: true });
    expect(outbox.status(eventId).state).toBe('submitted');
    await provider.send('evm_mine', []);
    expect((await worker.runOnce()).awaitingConfirmations).toBe(true);
    await provider.send('evm_mine', []);
    expect(await worker.runOnce()).toEqual({ anchoredEvents: 1, awaitingConfirmations: false });
    expect(outbox.status(eventId)).toMatchObject({ state: 'anchored' });
    await worker.stop();
    outbox.close();
  });

  it('re-anchors a batch whose block was reorganised away before it was deep enough', async () => {
    const outbox = new AnchorOutbox(`${node.dataDir}/reorg.sqlite`, () => 1_790_000_000_000);
    const deepConfig = { ...config, confirmations: 2 };
    const worker = createAnchorWorker({ outbox, dataDir: node.dataDir, rpcUrl: node.rpcUrl, privateKey, config: deepConfig, deps: systemDeps() });
    const { eventId } = outbox.record(installResult(600));
    const snapshot: unknown = await provider.send('evm_snapshot', []);
    expect(await worker.runOnce()).toEqual({ anchoredEvents: 0, awaitingConfirmations: true });
    const first = outbox.status(eventId);
    expect(first.state).toBe('submitted');

    // A reorg drops the block holding the anchor transaction (the node returns to the earlier state).
    await provider.send('evm_revert', [snapshot]);
    const anchor = connectDownloadAnchor(deployment.downloadAnchor, provider);
    const root = hexlify(first.root ?? new Uint8Array());
    expect((await anchor.batchOf(root)).batchNumber).toBe(0n);
    expect(await worker.runOnce()).toEqual({ anchoredEvents: 0, awaitingConfirmations: true });
    expect((await anchor.batchOf(root)).batchNumber).toBeGreaterThan(0n);
    await provider.send('evm_mine', []);
    expect(await worker.runOnce()).toEqual({ anchoredEvents: 1, awaitingConfirmations: false });
    const proof = outbox.proof(eventId);
    if (proof === undefined) throw new Error('not batched');
    expect(await verifyAnchorProof(proof, deployment.downloadAnchor, provider)).toMatchObject({ acceptedOnChain: true });
    await worker.stop();
    outbox.close();
  });
});

// Anchoring seen from the SM-DP+'s side: install results (success and failure) arrive while the
// background worker runs; each order keeps its anchor event id and shows its anchor status, which moves
// from pending to anchored without the download path ever waiting for the chain.
import { afterAll, describe, expect, it } from 'vitest';
import { hexlify } from 'ethers';
import { resolveChainConfig } from '../src/client/chainConfig.js';
import { createAnchorWorker, openAnchorOutbox, openChainStack } from '../src/chainService.js';
import { verifyAnchorProof } from '../src/anchor/verifyProof.js';
import { systemDeps } from '../src/deps.js';
import type { AnchorEventId } from '../src/anchor/anchorRecord.js';
import type { AnchorState } from '../src/anchor/anchorOutbox.js';
import { removeDir, tempDir } from '@zkesim/testing/chain/nodes';
import { installResult } from '@zkesim/testing/chain/installResults';

interface Order {
  transactionId: string;
  anchorEventId: AnchorEventId;
}

describe('SM-DP+ install results flow into anchors', () => {
  const dataDir = tempDir('install-results');
  afterAll(() => removeDir(dataDir));

  it('records every install result as it happens and shows each order anchored once the worker catches up', async () => {
    const config = resolveChainConfig({ maxBatchSize: 64, anchorIntervalMs: 50 });
    const deps = systemDeps();
    const stack = await openChainStack({ dataDir, config, deps });
    const outbox = openAnchorOutbox(dataDir, deps.now);
    const worker = createAnchorWorker({ outbox, dataDir, rpcUrl: stack.endpoint.rpcUrl, privateKey: stack.endpoint.privateKey, config, deps });
    worker.start();

    const orders: Order[] = [];
    const seenStates = new Set<AnchorState>();
    for (let index = 0; index < 300; index += 1) {
      const event = installResult(index, deps.now());
      const { eventId } = outbox.record(event);
      orders.push({ transactionId: hexlify(event.transactionId), anchorEventId: eventId });
      seenStates.add(outbox.status(eventId).state);
      if (index % 25 === 0) await new Promise((wake) => setTimeout(wake, 20));
    }
    expect(seenStates.has('pending')).toBe(true);

    const deadline = Date.now() + 20_000;
    while (outbox.backlog().anchoredEvents < 300 && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 50));
    await worker.stop();

    const view = orders.map((order) => ({ ...order, anchor: outbox.status(order.anchorEventId).state }));
    expect(view.every((order) => order.anchor === 'anchored')).toBe(true);
    const failures = orders.filter((_, index) => installResult(index).result.kind !== 'successResult');
    expect(failures.length).toBeGreaterThan(40);
    for (const order of [...failures.slice(0, 5), orders[0], orders[299]]) {
      const proof = order === undefined ? undefined : outbox.proof(order.anchorEventId);
      if (proof === undefined) throw new Error('missing proof');
      expect(await verifyAnchorProof(proof, stack.deployment.downloadAnchor, stack.client.provider)).toMatchObject({ proofMatchesRoot: true, acceptedOnChain: true });
    }
    outbox.close();
    await stack.close();
  });
});

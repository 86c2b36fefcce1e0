// Faults under load: the chain node down. An SM-DP+ with anchoring on serves concurrent full downloads
// while the chain layer runs as the stack wires it (apps/src/stack/chain.ts: the bundled Anvil with its
// state file, the contracts deployed, an anchor worker sending through the stack's one ChainClient). Mid-load
// (a quarter of the orders done, more running) the node is SIGKILLed, right after the worker anchored a batch;
// the second half of the orders is downloaded while it is down; then it is started again on the same port from
// its state file (`anvil --state`, what a supervisor restarting it does: the blocks after its last state dump,
// every 2 s, are lost, so usually the root just anchored is too). Afterwards every order is
// installed with no download failed, every installation result's anchor record is anchored exactly once
// (one event per order, each event in one batch, each batch root once on the contract, every proof
// accepted on chain), and /metrics showed the anchor backlog while the node was down.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLED_NODE_FILE,
  anchorEventId,
  connectDownloadAnchor,
  createAnchorWorker,
  openAnchorOutbox,
  openChainStack,
  resolveChainConfig,
  startBundledNode,
  systemDeps,
  verifyAnchorProof,
  type AnchorOutbox,
  type AnchorWorker,
  type BundledNode,
  type ChainStack,
} from '@zkesim/contracts';
import type { IccidDigits } from '@zkesim/protocol';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { downloadAcrossWorkers, type Order } from '@zkesim/testing/smdp/workers';
import { tempDir } from '@zkesim/testing/chain/nodes';

const ORDERS = 24;
const CONCURRENCY = 4;

let chainDir = '';
let port = 0;
let node: BundledNode | undefined;
let stack: ChainStack | undefined;
let worker: AnchorWorker | undefined;
let outbox: AnchorOutbox | undefined;
let h: Harness | undefined;

const chainConfig = resolveChainConfig({ anchorIntervalMs: 250, requestTimeoutMs: 2_000, maxBatchSize: 5 });
/** What the anchor worker logged (it says when it anchors a root again that the chain lost). */
const workerLog: string[] = [];
const write = (fields: object, message: string): void => void workerLog.push(`${message} ${JSON.stringify(fields)}`);
const workerDeps = systemDeps({ debug: write, info: write, warn: write, error: write });

beforeAll(async () => {
  chainDir = tempDir('chain-down');
  node = await startBundledNode({ dataDir: chainDir });
  // The port the node came up on; it is started again on the same one after the fault.
  port = Number(new URL(node.rpcUrl).port);
  // As the stack does: the running bundled node of the folder is found through node.json and re-used.
  stack = await openChainStack({ dataDir: chainDir, config: chainConfig, deps: systemDeps() });
  // The deployment is on the node's disk before the fault: a node that lost its contracts is another failure
  // (the stack refuses to start on it), not this test's.
  const deployed = Date.now();
  for (let i = 0; i < 200 && (statSync(node.stateFile, { throwIfNoEntry: false })?.mtimeMs ?? 0) <= deployed; i++) await sleep(50);
  outbox = openAnchorOutbox(chainDir, Date.now);
  worker = createAnchorWorker({
    outbox,
    dataDir: chainDir,
    rpcUrl: stack.endpoint.rpcUrl,
    privateKey: stack.endpoint.privateKey,
    config: chainConfig,
    deps: workerDeps,
    shared: { client: stack.client, deployment: stack.deployment },
  });
  worker.start();
  h = await startHarness((config) => {
    config.anchor = { enabled: true, outboxDirectory: chainDir };
    config.metrics = true;
    config.outbox = { ...config.outbox, pollIntervalMs: 200 };
  }, ORDERS);
}, 180_000);

afterAll(async () => {
  await h?.close();
  await worker?.stop();
  outbox?.close();
  await stack?.close();
  await node?.stop();
  rmSync(chainDir, { recursive: true, force: true });
});

/** SIGKILLs the bundled node (its pid is in node.json) and waits until it is gone. */
async function killNode(): Promise<void> {
  const { pid } = JSON.parse(readFileSync(join(chainDir, BUNDLED_NODE_FILE), 'utf8')) as { pid: number };
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
  throw new Error(`anvil ${pid} still alive after SIGKILL`);
}

/**
 * Kills the node right after the worker anchored a batch: the node's last state dump (every 2 s) may not
 * hold that block yet, so the restarted node may have lost an anchored root, as a crashed node loses what it
 * had not persisted.
 */
async function killRightAfterAnAnchor(): Promise<void> {
  const anchored = (outbox as AnchorOutbox).backlog().anchoredEvents;
  for (let i = 0; i < 600 && (outbox as AnchorOutbox).backlog().anchoredEvents === anchored; i++) await sleep(10);
  await killNode();
}

/** The SM-DP+'s anchor backlog gauges, from /metrics on its admin listener. */
async function anchorGauges(): Promise<{ pending: number; unanchoredBatches: number }> {
  const text = await (await fetch(`${h?.smdp.adminUrl ?? ''}/metrics`)).text();
  const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { pending: value('smdp_anchor_pending_events'), unanchoredBatches: value('smdp_anchor_unanchored_batches') };
}

describe('faults under load: the chain node down', () => {
  it('installs every order and anchors every installation result exactly once across a chain node SIGKILL and restart', { timeout: 300_000 }, async () => {
    const harness = h as Harness;
    const orders: Order[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const matchingId = `CHAIN-DOWN-${i}`;
      orders.push({ matchingId, iccid: await harness.order({ eid: sgp26Eid, matchingId }) });
    }

    const failures: string[] = [];
    let done = 0;
    let downAt: number | undefined;
    let whileDown: { pending: number; unanchoredBatches: number } | undefined;
    let fault: Promise<void> | undefined;
    /** Downloads `batch` CONCURRENCY at a time; `onDone` after each. A failed download is recorded, not retried. */
    const load = async (batch: Order[], onDone: () => void = () => undefined): Promise<void> => {
      const queue = [...batch];
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let order = queue.shift(); order !== undefined; order = queue.shift()) {
            try {
              await downloadAcrossWorkers(harness.smdp.es9Url, harness.pki.ciNist, order, 60_000);
            } catch (error) {
              failures.push(`${order.matchingId}: ${(error as Error).message.slice(0, 300)}`);
            }
            done += 1;
            onDone();
          }
        }),
      );
    };
    // The first half: the node is killed once a quarter of the orders are done, while the others run.
    await load(orders.slice(0, ORDERS / 2), () => {
      if (done === ORDERS / 4) fault = killRightAfterAnAnchor().then(() => void (downAt = done));
    });
    await fault;
    expect(downAt).toBeDefined();
    // The second half runs with the node down; the results' records wait in the chain outbox.
    await load(orders.slice(ORDERS / 2));
    expect(done - (downAt ?? ORDERS)).toBeGreaterThanOrEqual(ORDERS / 2);
    for (let i = 0; i < 100 && (whileDown === undefined || whileDown.pending === 0); i++) {
      whileDown = await anchorGauges();
      if (whileDown.pending === 0) await sleep(100);
    }
    expect(whileDown?.pending).toBeGreaterThan(0);

    node = await startBundledNode({ dataDir: chainDir, port });

    // Every order installed, each with its own profile, none failed (the download path never waits for the chain).
    expect(failures).toEqual([]);
    const closed = await harness.smdp.repository.transaction(async (tx) => Promise.all(orders.map((order) => tx.getLatestOrderByIccid(order.iccid as IccidDigits))));
    expect(closed.map((order) => order?.closeReason)).toEqual(orders.map(() => 'installed'));
    expect(new Set(orders.map((order) => order.iccid)).size).toBe(ORDERS);
    const eventIds = closed.map((order) => order?.anchorEventId ?? '');
    expect(new Set(eventIds).size).toBe(ORDERS);

    // The worker picks the node up again and anchors the backlog.
    const chainOutbox = outbox as AnchorOutbox;
    // Generous: a transaction the killed node took and lost is sent again after `feeBumpAfterMs` (15 s).
    for (let i = 0; i < 1_200; i++) {
      const backlog = chainOutbox.backlog();
      if (backlog.pendingEvents === 0 && backlog.unanchoredBatches === 0 && (await harness.smdp.repository.transaction((tx) => tx.pendingAnchorRecords(1))).length === 0) break;
      await sleep(100);
    }
    if (chainOutbox.backlog().pendingEvents > 0) console.info(workerLog.slice(-5).join('\n'));
    expect(chainOutbox.backlog()).toEqual({ pendingEvents: 0, unanchoredBatches: 0, anchoredEvents: ORDERS });
    expect(await anchorGauges()).toEqual({ pending: 0, unanchoredBatches: 0 });

    // Exactly once on chain: the outbox's batches hold each event once, and the contract holds each batch
    // root once, with its leaf count, and nothing else.
    const batches = chainOutbox.batches(1_000);
    expect(batches.reduce((sum, batch) => sum + batch.leafCount, 0)).toBe(ORDERS);
    const live = stack as ChainStack;
    const anchor = connectDownloadAnchor(live.deployment.downloadAnchor, live.client.provider);
    const numbers = new Set<number>();
    for (const batch of batches) {
      const held = await anchor.batchOf(batch.root);
      expect(Number(held.leafCount)).toBe(batch.leafCount);
      expect(Number(held.batchNumber)).toBe(batch.batchNumber);
      numbers.add(Number(held.batchNumber));
    }
    // Distinct batch numbers, as many as the contract has anchored: it holds these roots and no other.
    expect(numbers.size).toBe(batches.length);
    expect(Number(await anchor.batchCount())).toBe(batches.length);
    for (const eventId of eventIds) {
      const proof = chainOutbox.proof(anchorEventId(eventId));
      expect(proof?.status.state).toBe('anchored');
      const verdict = await verifyAnchorProof(proof as NonNullable<typeof proof>, live.deployment.downloadAnchor, live.client.provider);
      expect(verdict).toMatchObject({ proofMatchesRoot: true, acceptedOnChain: true });
      expect(verdict.batchNumber).toBeGreaterThan(0);
    }
    const again = workerLog.filter((line) => line.startsWith('anchored root no longer on the chain')).length;
    console.info(`orders ${ORDERS}; ${batches.length} batches; backlog while the node was down ${JSON.stringify(whileDown)}; roots the restarted node had lost, anchored again: ${again}`);
  });
});

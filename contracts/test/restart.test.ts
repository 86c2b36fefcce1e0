// Persistence of the bundled chain: after the node (as `npm start` runs it) stops and starts again, the
// contract addresses are re-used and the anchored roots are still there; `chain verify-event` proves an event
// from the outbox against the restarted chain, and fails (exit 1) on a forged proof.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { getBytes } from 'ethers';
import { resolveChainConfig } from '../src/client/chainConfig.js';
import { createAnchorWorker, openAnchorOutbox, openChainStack, OUTBOX_FILE } from '../src/chainService.js';
import { connectDownloadAnchor } from '../src/generated/index.js';
import { systemDeps } from '../src/deps.js';
import { DeploymentMismatch } from '../src/errors.js';
import { BUNDLED_NODE_FILE } from '../src/node/bundledNode.js';
import { chainStatus, chainVerifyEvent, type ChainCommandIo } from '../src/cli.js';
import { removeDir, tempDir } from '@zkesim/testing/chain/nodes';
import { installResult } from '@zkesim/testing/chain/installResults';

function captureIo(): ChainCommandIo & { lines: string[] } {
  const lines: string[] = [];
  return { env: {}, lines, write: (line) => void lines.push(line) };
}

describe('bundled chain restart', () => {
  const dataDir = tempDir('restart');
  afterAll(() => removeDir(dataDir));

  it('keeps contract addresses and anchored roots across a restart, and verify-event checks against them', async () => {
    const config = resolveChainConfig({});
    const first = await openChainStack({ dataDir, config, deps: systemDeps() });
    const outbox = openAnchorOutbox(dataDir, Date.now);
    const ids = Array.from({ length: 10 }, (_, index) => outbox.record(installResult(index)).eventId);
    const worker = createAnchorWorker({ outbox, dataDir, rpcUrl: first.endpoint.rpcUrl, privateKey: first.endpoint.privateKey, config, deps: systemDeps() });
    expect((await worker.runOnce()).anchoredEvents).toBe(10);
    await worker.stop();
    outbox.close();
    await first.close();

    const second = await openChainStack({ dataDir, config, deps: systemDeps() });
    expect(second.endpoint.rpcUrl).not.toBe(first.endpoint.rpcUrl);
    expect(second.deployment).toEqual(first.deployment);
    const anchor = connectDownloadAnchor(second.deployment.downloadAnchor, second.client.provider);
    expect(await anchor.batchCount()).toBe(1n);
    await second.close();

    // The CLI starts the bundled node from the saved state by itself.
    const verified = captureIo();
    expect(await chainVerifyEvent(dataDir, ids[3] ?? '', verified)).toBe(0);
    expect(verified.lines.join('\n')).toMatch(/on chain accepted/);
    const status = captureIo();
    expect(await chainStatus(dataDir, status)).toBe(0);
    expect(status.lines.join('\n')).toContain(first.deployment.downloadAnchor);
    expect(status.lines.join('\n')).toMatch(/0 pending events, 0 unanchored batches, 10 anchored events/);

    // Forge the stored proof of one event: verification must fail.
    const db = new Database(`${dataDir}/${OUTBOX_FILE}`);
    db.prepare('UPDATE anchor_event SET proof = ? WHERE event_id = ?').run(new Uint8Array(32 * 4).fill(7), getBytes(ids[5] ?? '0x'));
    db.close();
    const forged = captureIo();
    expect(await chainVerifyEvent(dataDir, ids[5] ?? '', forged)).toBe(1);
    expect(forged.lines.join('\n')).toMatch(/REJECTED/);
  });

  it('refuses to run on a chain that lost the recorded contracts instead of silently deploying new ones', async () => {
    const dir = tempDir('lost-state');
    const config = resolveChainConfig({});
    const stack = await openChainStack({ dataDir: dir, config, deps: systemDeps() });
    await stack.close();
    rmSync(join(dir, 'anvil-state.json'));
    await expect(openChainStack({ dataDir: dir, config, deps: systemDeps() })).rejects.toThrow(DeploymentMismatch);
    expect(existsSync(join(dir, BUNDLED_NODE_FILE))).toBe(false);
    removeDir(dir);
  });
});

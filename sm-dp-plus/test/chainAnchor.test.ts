// The chain layer wired to the SM-DP+: a real download through lpa-core and the software eUICC ends with an
// installation result; the SM-DP+ records it in the anchor outbox (no EID, no ICCID: hashes only) and the
// order shows its anchor status; the anchor worker puts it on the bundled Anvil chain, where its Merkle
// proof is accepted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainVerifyEvent } from '@zkesim/contracts/cli';
import { createAnchorWorker, openAnchorOutbox, openChainStack, resolveChainConfig, systemDeps } from '@zkesim/contracts';
import { Lpa } from '@zkesim/testing/smdp/lpa-core';
import type { IccidDigits } from '@zkesim/protocol';
import { orderStatus } from '../src/orderStatus.js';
import { bindEs9Port, startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { sgp26Card, sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { smdpHost } from '@zkesim/testing/smdp/testPki';

const chainDir = mkdtempSync(join(tmpdir(), 'zkesim-smdp-anchor-'));
let h: Harness;
let address = '';

beforeAll(async () => {
  const es9 = await bindEs9Port();
  const { port } = es9;
  address = es9.address;
  h = await startHarness((config) => {
    config.address = address;
    config.anchor = { enabled: true, outboxDirectory: chainDir };
    const first = config.es9[0];
    if (first !== undefined) first.port = port;
  }, 2, { boundSockets: es9.boundSockets });
});
afterAll(async () => {
  await h.close();
  rmSync(chainDir, { recursive: true, force: true });
});

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('installation results anchored on the chain', () => {
  it('records the result, shows the anchor status on the order, and proves it on chain', { timeout: 120_000 }, async () => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'ANCHOR-1' })) as IccidDigits;
    const { card } = sgp26Card();
    const lpa = await Lpa.open({
      transport: card,
      https: { trustedCertificates: [readFileSync(h.pki.ciNist, 'utf8')], resolve: { [smdpHost]: '127.0.0.1' } },
    });
    await lpa.downloadProfile({ smdpAddress: address, matchingId: 'ANCHOR-1' });
    await lpa.close();

    const order = await until(async () => {
      const latest = await h.smdp.repository.transaction((tx) => tx.getLatestOrderByIccid(iccid));
      return latest?.anchorEventId === undefined ? undefined : latest;
    }, 'the anchor record on the order');
    const eventId = order.anchorEventId ?? '';
    const sources = { repository: h.smdp.repository, clock: { now: Date.now }, anchor: { enabled: true, outboxDirectory: chainDir } };
    const pending = await orderStatus(sources, iccid);
    expect(pending).toMatchObject({ iccid, profileState: 'installed', order: { closed: true, closeReason: 'installed' }, anchor: { eventId, state: 'pending' } });

    // Only hashes leave the SM-DP+: the outbox holds neither the EID nor the ICCID.
    const outboxBytes = readFileSync(join(chainDir, 'anchor-outbox.sqlite')).toString('latin1');
    expect(outboxBytes).not.toContain(sgp26Eid);
    expect(outboxBytes).not.toContain(iccid);

    const chainConfig = resolveChainConfig({});
    const stack = await openChainStack({ dataDir: chainDir, config: chainConfig, deps: systemDeps() });
    const outbox = openAnchorOutbox(chainDir, Date.now);
    try {
      const worker = createAnchorWorker({ outbox, dataDir: chainDir, rpcUrl: stack.endpoint.rpcUrl, privateKey: stack.endpoint.privateKey, config: chainConfig, deps: systemDeps() });
      expect((await worker.runOnce()).anchoredEvents).toBe(1);
      await worker.stop();
      const anchored = await orderStatus(sources, iccid);
      expect(anchored.anchor).toMatchObject({ eventId, state: 'anchored', root: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
      const lines: string[] = [];
      expect(await chainVerifyEvent(chainDir, eventId, { env: {}, write: (line) => void lines.push(line) })).toBe(0);
    } finally {
      outbox.close();
      await stack.close();
    }
  });
});

// The anchor record of an installation result lives and dies with the result: it is written in the same
// transaction, so a transaction that fails leaves neither the result nor the record, and a committed result
// always has its record, which the drain hands to the chain outbox exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorEventId, openAnchorOutbox } from '@zkesim/contracts';
import { iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import type { SmdpTransaction } from '../src/core/repository.js';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { statusOf } from '@zkesim/testing/smdp/https';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';

const chainDir = mkdtempSync(join(tmpdir(), 'zkesim-anchor-records-'));
let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    (config) => {
      config.anchor = { enabled: true, outboxDirectory: chainDir };
    },
    2,
    { anchorDrain: { afterEachResult: false } },
  );
});
afterAll(async () => {
  await h.close();
  rmSync(chainDir, { recursive: true, force: true });
});

/** Fails every transaction right after it wrote an anchor record, while `failing` is set. */
function failAfterAnchorRecord(): { failing: boolean } {
  const state = { failing: true };
  const repository = h.smdp.repository;
  const original = repository.transaction.bind(repository);
  repository.transaction = <T>(work: (tx: SmdpTransaction) => Promise<T>): Promise<T> =>
    original((tx) => {
      if (!state.failing) return work(tx);
      const failing: SmdpTransaction = Object.create(tx) as SmdpTransaction;
      failing.enqueueAnchorRecord = async (entry) => {
        await tx.enqueueAnchorRecord(entry);
        throw new Error('storage failure after the anchor record');
      };
      return work(failing);
    });
  return state;
}

describe('anchor records of installation results', () => {
  it('are written with the result or not at all, and drained once', { timeout: 60_000 }, async () => {
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: 'ANCHOR-ATOMIC-1' })) as IccidDigits;
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    await lpa.initiateAuthentication();
    await lpa.authenticateServer('ANCHOR-ATOMIC-1');
    await lpa.authenticateClient();
    await lpa.prepareDownload();
    expect(statusOf(await lpa.getBoundProfilePackage()).status).toBe('Executed-Success');
    const outboxBefore = await h.smdp.repository.transaction((tx) => tx.pendingOutboxCount());

    const fault = failAfterAnchorRecord();
    const pir = lpa.installationResult(true, iccidToBytes(iccid));
    expect((await lpa.handleNotification(pir)).status).not.toBe(204);
    const afterFailure = await h.smdp.repository.transaction(async (tx) => ({
      profile: await tx.getProfile(iccid),
      order: await tx.getLatestOrderByIccid(iccid),
      anchorRecords: await tx.pendingAnchorRecords(10),
      outbox: await tx.pendingOutboxCount(),
    }));
    expect(afterFailure.anchorRecords).toEqual([]);
    expect(afterFailure.profile?.state).toBe('downloaded');
    expect(afterFailure.order?.closedAt).toBeUndefined();
    expect(afterFailure.order?.anchorEventId).toBeUndefined();
    expect(afterFailure.outbox).toBe(outboxBefore);

    fault.failing = false;
    expect((await lpa.handleNotification(pir)).status).toBe(204);
    const { order, anchorRecords } = await h.smdp.repository.transaction(async (tx) => ({
      order: await tx.getLatestOrderByIccid(iccid),
      anchorRecords: await tx.pendingAnchorRecords(10),
    }));
    expect(order).toMatchObject({ closeReason: 'installed' });
    expect(anchorRecords.map((record) => [record.orderId, record.eventId])).toEqual([[order?.orderId, order?.anchorEventId]]);

    expect(await h.smdp.anchor?.runOnce()).toBe(1);
    expect(await h.smdp.anchor?.runOnce()).toBe(0);
    expect(await h.smdp.repository.transaction((tx) => tx.pendingAnchorRecords(10))).toEqual([]);
    const outbox = openAnchorOutbox(chainDir, Date.now);
    try {
      expect(outbox.status(anchorEventId(order?.anchorEventId ?? '')).state).toBe('pending');
      expect(outbox.backlog().pendingEvents).toBe(1);
    } finally {
      outbox.close();
    }
  });
});

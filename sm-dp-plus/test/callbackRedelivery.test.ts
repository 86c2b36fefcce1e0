// Operator callbacks are delivered at least once: the OutboxWorker marks an entry delivered only after the
// operator answered, so an SM-DP+ that dies between the answer and the mark sends the entry again after
// its restart. The operator de-duplicates on functionCallIdentifier, which must therefore be the same on
// every delivery of one callback and differ between callbacks (two notification points of one download).
// The store is a real SQLite file, closed and reopened between the delivery and the mark.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker, certificatePem, privateKeyPem, type OutboxStore } from '@zkesim/rsp-server';
import { silentLogger, type EidDigits, type IccidDigits } from '@zkesim/protocol';
import { NotificationPoint, queueDownloadProgressInfo } from '../src/es2plus/handleDownloadProgressInfo.js';
import { SqliteRepository } from '../src/storage/sqlite/sqliteRepository.js';
import { startCallbackServer, type CallbackServer } from '@zkesim/testing/smdp/callbackServer';
import { seedInventory } from '@zkesim/testing/smdp/inventory';
import { createTestPki, type TestPki } from '@zkesim/testing/smdp/testPki';
import { AesGcmSealer } from '../src/adapters/secrets/aesGcmSealer.js';
import { randomBytes } from 'node:crypto';

/** The store's key-encryption key (the command line is given the same one through SMDP_KEY_ENCRYPTION_KEY). */
const keyEncryptionKey = randomBytes(32);
const sealer = new AesGcmSealer(keyEncryptionKey);

let pki: TestPki;
let callbacks: CallbackServer;
let dir: string;

beforeAll(async () => {
  pki = createTestPki();
  callbacks = await startCallbackServer(pki);
  dir = mkdtempSync(join(tmpdir(), 'zkesim-redelivery-'));
});
afterAll(async () => {
  await callbacks.close();
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function worker(repository: OutboxStore): OutboxWorker {
  return new OutboxWorker({
    repository,
    clock: { now: () => Date.now() },
    random: { bytes: (n) => new Uint8Array(n).fill(128) },
    logger: silentLogger,
    tls: { cert: certificatePem(pki.operatorCert), key: privateKeyPem(pki.operatorKey), ca: [certificatePem(pki.operatorCa)] },
    pollIntervalMs: 60_000,
    baseDelayMs: 10,
    maxDelayMs: 100,
    requestTimeoutMs: 2000,
    maxAttempts: 10,
    batchSize: 10,
  });
}

describe('operator callbacks across a restart between delivery and marking', () => {
  it('re-sends the same functionCallIdentifier, distinct per callback', async () => {
    const path = join(dir, 'smdp.db');
    const first = new SqliteRepository({ path, sealer });
    const [iccid] = (await seedInventory(first, 1)) as [IccidDigits];
    const transactionId = '0123456789ABCDEF0123456789ABCDEF';
    await first.transaction(async (tx) => {
      const profile = await tx.getProfile(iccid);
      if (profile === undefined) throw new Error('no profile');
      const order = await tx.insertOrder({
        iccid, eid: '89049032123451234512345678901235' as EidDigits, releaseFlag: true, operatorId: 'operator', callbackUrl: callbacks.url, createdAt: 0,
      });
      // One download reports the bound BPP and then its installation, as GetBoundProfilePackage and
      // HandleNotification do, both under the download's transactionId.
      await queueDownloadProgressInfo(tx, order, profile, { notificationPointId: NotificationPoint.bppDownload }, 1, transactionId);
      await queueDownloadProgressInfo(tx, order, profile, { notificationPointId: NotificationPoint.bppInstallation }, 2, transactionId);
    });

    // The process "dies" once the operator has answered the first entry, before the mark is written.
    const dying: OutboxStore = {
      transaction: (work) =>
        first.transaction((tx) =>
          work({
            ...bind(tx),
            markOutboxDelivered: async () => {
              throw new Error('process killed before marking');
            },
          }),
        ),
    };
    await expect(worker(dying).runOnce()).rejects.toThrow('process killed before marking');
    expect(callbacks.received).toHaveLength(1);
    await first.close();

    const second = new SqliteRepository({ path, sealer });
    try {
      expect(await second.transaction((tx) => tx.pendingOutboxCount())).toBe(2);
      expect(await worker(second).runOnce()).toBe(2);
      const ids = callbacks.received.map((c) => (c.body.header as { functionCallIdentifier: string }).functionCallIdentifier);
      expect(callbacks.received.map((c) => c.body.notificationPointId)).toEqual([3, 3, 4]);
      expect(ids[1]).toBe(ids[0]);
      expect(ids[2]).not.toBe(ids[0]);
      expect(await second.transaction((tx) => tx.pendingOutboxCount())).toBe(0);
    } finally {
      await second.close();
    }
  });
});

/** The transaction's methods as own properties bound to it, so that one can be replaced. */
function bind<T extends object>(tx: T): T {
  const out: Record<string, unknown> = {};
  let proto: object | null = tx;
  while (proto !== null && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = (tx as Record<string, unknown>)[name];
      if (name !== 'constructor' && typeof value === 'function' && !(name in out)) out[name] = (value as (...args: unknown[]) => unknown).bind(tx);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return out as T;
}

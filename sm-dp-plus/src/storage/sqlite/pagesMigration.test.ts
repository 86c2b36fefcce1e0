// Migration 12 (fewer pages per download): a store written by schema version 11 keeps its state history (now
// ordered by ICCID), outbox and anchor records with their ids, and the ids go on increasing; the new indexes serve the lookups
// that used the old ones. And the sealed Bound Profile Package of a closed order leaves no byte in the file
// (secure_delete zeroes its freed overflow pages).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eidDigits, iccidDigits } from '@zkesim/protocol';
import { openRepository } from '../openRepository.js';
import { migrations } from './migrations.js';
import { AesGcmSealer } from '../../adapters/secrets/aesGcmSealer.js';
import { matchingId } from '../../core/identifiers.js';

const iccid = iccidDigits('8900000000000000001');
const other = iccidDigits('8900000000000000019');
const eid = eidDigits('89049032123451234512345678901235');
let dir: string;
let path: string;
const sealer = new AesGcmSealer(randomBytes(32));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smdp-pages-'));
  path = join(dir, 'store', 'smdp.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function storeBytes(): Buffer {
  return Buffer.concat([path, `${path}-wal`, `${path}-shm`].filter(existsSync).map((file) => readFileSync(file)));
}

/** A store as schema version 11 left it: a profile downloading (bound, open order), its history, an outbox entry and an anchor record. */
function writeVersion11Store(): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  for (const migration of migrations.filter((m) => m.version <= 11)) old.exec(migration.sql);
  old.pragma('user_version = 11');
  old.prepare("INSERT INTO profile_templates VALUES ('demo', x'a000', 'test', 'SP', 'Demo')").run();
  for (const [profile, state] of [[iccid, 'downloaded'], [other, 'available']] as const) {
    old.prepare("INSERT INTO profiles (iccid, profile_type, state, imsi, ki, opc, updated_at, secrets_sealed) VALUES (?, 'demo', ?, '001010000000001', x'', x'', 1, 1)").run(profile, state);
  }
  old.prepare("INSERT INTO profile_history (id, iccid, from_state, to_state, event, at) VALUES (6, ?, 'allocated', 'released', 'confirmOrderAndRelease', 4)").run(iccid);
  old.prepare("INSERT INTO profile_history (id, iccid, from_state, to_state, event, at) VALUES (5, ?, 'allocated', 'available', 'cancelOrderToAvailable', 3)").run(other);
  old.prepare("INSERT INTO profile_history (id, iccid, from_state, to_state, event, at) VALUES (7, ?, 'released', 'downloaded', 'bindProfile', 5)").run(iccid);
  old.prepare("INSERT INTO orders (order_id, iccid, release_flag, operator_id, created_at, bound_transaction_id, matching_id, secrets_sealed) VALUES (3, ?, 1, 'op', 1, 'AB01', 'M-1', 1)").run(iccid);
  old.prepare("INSERT INTO orders (order_id, iccid, eid, release_flag, operator_id, created_at, secrets_sealed) VALUES (4, ?, ?, 1, 'op', 1, 1)").run(other, eid);
  old.prepare("INSERT INTO outbox (id, target_url, body, next_attempt_at, created_at, dead_at) VALUES (40, 'https://op.example/cb', '{}', 9, 9, 11)").run();
  old.prepare("INSERT INTO anchor_records (id, order_id, event_id, payload, created_at) VALUES (12, 3, 'e-12', '{}', 9)").run();
  old.close();
}

describe('migration 12', () => {
  it('keeps history, outbox and anchor records with their ids, ids keep increasing, and the new indexes serve the lookups', async () => {
    writeVersion11Store();
    const repository = await openRepository({ kind: 'sqlite', path }, sealer);
    try {
      const found = await repository.transaction(async (tx) => ({
        history: await tx.profileHistory(iccid),
        dead: await tx.listOutbox({ state: 'dead', limit: 10 }),
        anchors: await tx.pendingAnchorRecords(10),
        bound: await tx.getOpenOrderByBoundTransaction('AB01'),
        viaKey: await tx.getOrderWithProfile({ openBoundTransactionId: 'AB01' }),
        byEid: await tx.findOpenOrdersByEidWithoutMatchingId(eid),
        available: await tx.findAvailableProfile('demo'),
        availableCount: await tx.countProfiles('available'),
        downloadedCount: await tx.countProfiles('downloaded'),
      }));
      expect(found.history).toEqual([
        { iccid, from: 'allocated', to: 'released', event: 'confirmOrderAndRelease', at: 4 },
        { iccid, from: 'released', to: 'downloaded', event: 'bindProfile', at: 5 },
      ]);
      expect(found.dead.map((entry) => [entry.id, entry.deadAt])).toEqual([[40, 11]]);
      expect(found.anchors.map((record) => [record.id, record.eventId])).toEqual([[12, 'e-12']]);
      expect(found.bound?.orderId).toBe(3);
      expect(found.viaKey?.order.orderId).toBe(3);
      expect(found.byEid.map((order) => order.orderId)).toEqual([4]);
      expect(found.available?.iccid).toBe(other);
      expect([found.availableCount, found.downloadedCount]).toEqual([1, 1]);

      const next = await repository.transaction(async (tx) => {
        await tx.setProfileState({ iccid, from: 'downloaded', to: 'installed', event: 'installSucceeded', at: 6 });
        const outboxId = await tx.enqueueOutbox({ targetUrl: 'https://op.example/cb', body: '{}', at: 10 });
        const anchorId = await tx.enqueueAnchorRecord({ orderId: 3, eventId: 'e-13', payload: '{}', at: 10 });
        await tx.updateOrder(3, { closedAt: 10, closeReason: 'installed' });
        return { outboxId, anchorId, history: await tx.profileHistory(iccid), closed: await tx.getOpenOrderByBoundTransaction('AB01') };
      });
      expect(next.outboxId).toBeGreaterThan(40);
      expect(next.anchorId).toBeGreaterThan(12);
      expect(next.history.map((change) => change.to)).toEqual(['released', 'downloaded', 'installed']);
      expect(next.closed).toBeUndefined();
    } finally {
      await repository.close();
    }
    const raw = new Database(path, { readonly: true });
    try {
      const objects = raw.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') ORDER BY name").all() as { name: string }[];
      const names = objects.map((row) => row.name);
      expect(names).toEqual(expect.arrayContaining(['orders_by_transaction', 'orders_default_by_eid', 'profiles_available', 'profile_history', 'outbox_due', 'anchor_records_pending']));
      expect(names.filter((name) => /_v12$|^orders_open_by_transaction$|^orders_open_by_eid$|^profiles_by_type_state$|^profile_history_by_iccid$/.test(name))).toEqual([]);
      // A profile's next change is numbered after its own last one.
      expect(raw.prepare('SELECT id, to_state FROM profile_history WHERE iccid = ? ORDER BY id').all(iccid)).toEqual([
        { id: 6, to_state: 'released' }, { id: 7, to_state: 'downloaded' }, { id: 8, to_state: 'installed' },
      ]);
      expect(raw.prepare("SELECT name FROM sqlite_sequence WHERE name IN ('profile_history', 'outbox', 'anchor_records')").all()).toEqual([]);
      expect(raw.pragma('foreign_key_check')).toEqual([]);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
  });
});

describe('a closed order\'s Bound Profile Package', () => {
  it('leaves no byte of its sealed form in the database file once closed and checkpointed', async () => {
    const repository = await openRepository({ kind: 'sqlite', path }, sealer);
    // About the size of the TS.48 profile's BPP: overflow pages of its own.
    const bpp = randomBytes(12_500);
    try {
      await repository.transaction(async (tx) => {
        await tx.putProfileTemplate({ profileType: 'demo', upp: Uint8Array.of(0xa0, 0x00), source: 'test', serviceProviderName: 'SP', profileName: 'Demo' });
        await tx.insertProfile({ iccid, profileType: 'demo', state: 'available', imsi: '001010000000001', ki: randomBytes(16), opc: randomBytes(16) }, 1);
        const order = await tx.insertOrder({ iccid, releaseFlag: true, operatorId: 'op', createdAt: 1, matchingId: matchingId('M-BPP') });
        await tx.updateOrder(order.orderId, { boundTransactionId: 'CD02', boundProfilePackage: bpp });
      });
      const raw = new Database(path, { readonly: true });
      const sealed = (raw.prepare('SELECT bound_profile_package AS b FROM orders').get() as { b: Buffer }).b;
      raw.close();
      // A run of the sealed bytes from the middle of the package (its overflow pages).
      const probe = sealed.subarray(6000, 6064);
      expect(storeBytes().includes(probe)).toBe(true);
      await repository.transaction(async (tx) => {
        const order = await tx.getOpenOrderByBoundTransaction('CD02');
        if (order === undefined) throw new Error('the bound order is not found');
        await tx.updateOrder(order.orderId, { closedAt: 2, closeReason: 'installed' });
      });
      await repository.close();
      expect(existsSync(`${path}-wal`)).toBe(false);
      expect(readFileSync(path).includes(probe)).toBe(false);
    } finally {
      await repository.close();
    }
  });
});

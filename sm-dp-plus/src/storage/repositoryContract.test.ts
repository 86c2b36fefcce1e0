// The storage contract (core/repository.ts), run on every engine: SQLite and PostgreSQL (a real server that
// the test run starts, testing/src/postgres/globalSetup.ts; a fresh database per test). Every assertion of the
// store's behaviour is here once; what only one engine has (SQLite's WAL file, PostgreSQL's claims across
// processes) is in the engine's own tests or marked by the engine's traits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, postgresAvailable } from '@zkesim/testing/postgres/testDatabase';
import { openRepository, type OpenedRepository, type StorageConfig } from './openRepository.js';
import { applyProfileEvent } from '../core/applyProfileEvent.js';
import { IllegalTransition } from '../core/profileLifecycle.js';
import { StaleState } from '../core/repository.js';
import { eidDigits, iccidDigits, imeiDigits } from '@zkesim/protocol';
import { matchingId } from '../core/identifiers.js';
import { migrations } from './sqlite/migrations.js';
import { pgMigrations } from './postgres/migrations.js';
import { AesGcmSealer } from '../adapters/secrets/aesGcmSealer.js';

const sealer = new AesGcmSealer(randomBytes(32));
const iccid = iccidDigits('8900000000000000001');

interface Engine {
  name: 'sqlite' | 'postgres';
  available: boolean;
  /** A new, empty store's configuration, and how to remove it. */
  create(): Promise<{ storage: StorageConfig; remove(): void }>;
  /** The schema version after every migration (not a literal, so a new migration does not edit this test). */
  latestSchemaVersion: number | undefined;
  /** Several processes share the store: outbox entries are claimed, not only read. */
  claimsOutbox: boolean;
}

const engines: Engine[] = [
  {
    name: 'sqlite',
    available: true,
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'smdp-contract-'));
      return { storage: { kind: 'sqlite', path: join(dir, 'smdp.db') }, remove: () => rmSync(dir, { recursive: true, force: true }) };
    },
    latestSchemaVersion: migrations.at(-1)?.version,
    claimsOutbox: false,
  },
  {
    name: 'postgres',
    available: postgresAvailable(),
    async create() {
      return { storage: { kind: 'postgres', url: await freshDatabase('smdp_contract'), maxConnections: 12, outboxClaimMs: 60_000 }, remove: () => undefined };
    },
    latestSchemaVersion: pgMigrations.at(-1)?.version,
    claimsOutbox: true,
  },
];

async function seed(r: OpenedRepository): Promise<void> {
  await r.transaction(async (tx) => {
    await tx.putProfileTemplate({ profileType: 'demo', upp: Uint8Array.of(0xa0, 0x00), source: 'test', serviceProviderName: 'SP', profileName: 'Demo' });
    await tx.insertProfile({ iccid, profileType: 'demo', state: 'available', imsi: '001010000000001', ki: new Uint8Array(16), opc: new Uint8Array(16) }, 1);
  });
}

describe.each(engines)('storage contract on $name', (engine) => {
  let repo: OpenedRepository;
  let storage: StorageConfig;
  let remove: () => void;

  beforeEach(async (context) => {
    if (!engine.available) return context.skip();
    ({ storage, remove } = await engine.create());
    repo = await openRepository(storage, sealer);
    await seed(repo);
  });
  afterEach(async () => {
    if (!engine.available) return;
    await repo.close();
    remove();
  });

  it('reports its engine and schema version as its health', async () => {
    expect(await repo.health()).toEqual({ engine: engine.name, schemaVersion: engine.latestSchemaVersion });
  });

  it('keeps the data and the schema version across a reopen', async () => {
    await repo.close();
    repo = await openRepository(storage, sealer);
    expect((await repo.health()).schemaVersion).toBe(engine.latestSchemaVersion);
    expect((await repo.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('available');
  });

  it('records each state change in the history through the transition table', async () => {
    await repo.transaction((tx) => applyProfileEvent(tx, iccid, 'downloadOrderWithEid', 2));
    await repo.transaction((tx) => applyProfileEvent(tx, iccid, 'confirmOrderAndRelease', 3));
    const history = await repo.transaction((tx) => tx.profileHistory(iccid));
    expect(history.map((h) => [h.from, h.to, h.event])).toEqual([
      ['available', 'linked', 'downloadOrderWithEid'],
      ['linked', 'released', 'confirmOrderAndRelease'],
    ]);
  });

  it('refuses an illegal transition and leaves the state unchanged', async () => {
    await expect(repo.transaction((tx) => applyProfileEvent(tx, iccid, 'bindProfile', 2))).rejects.toThrow(IllegalTransition);
    expect((await repo.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('available');
  });

  it('refuses a compare-and-set from a stale state', async () => {
    await expect(
      repo.transaction((tx) => tx.setProfileState({ iccid, from: 'linked', to: 'released', event: 'confirmOrderAndRelease', at: 2 })),
    ).rejects.toThrow(StaleState);
  });

  it('rolls back every write of a transaction that throws', async () => {
    await expect(
      repo.transaction(async (tx) => {
        await applyProfileEvent(tx, iccid, 'downloadOrderWithEid', 2);
        await tx.insertOrder({ iccid, releaseFlag: false, operatorId: 'op', createdAt: 2 });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await repo.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('available');
    expect(await repo.transaction((tx) => tx.getOpenOrderByIccid(iccid))).toBeUndefined();
  });

  it('allows one open order per profile and unique MatchingIDs', async () => {
    const id = matchingId('ABC-123');
    const order = await repo.transaction((tx) =>
      tx.insertOrder({ iccid, matchingId: id, releaseFlag: true, operatorId: 'op', createdAt: 2, deviceConstraints: { allowedTacs: ['35290611'] } }),
    );
    expect(order.deviceConstraints).toEqual({ allowedTacs: ['35290611'] });
    await expect(repo.transaction((tx) => tx.insertOrder({ iccid, releaseFlag: true, operatorId: 'op', createdAt: 3 }))).rejects.toThrow(
      /unique/i,
    );
    await repo.transaction((tx) => tx.updateOrder(order.orderId, { closedAt: 4, closeReason: 'cancelled' }));
    expect(await repo.transaction((tx) => tx.isMatchingIdTaken(id))).toBe(true);
    expect(await repo.transaction((tx) => tx.getOpenOrderByMatchingId(id))).toBeUndefined();
  });

  it('lets one of concurrent moves of a profile from the same state win; the others roll back', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => repo.transaction((tx) => applyProfileEvent(tx, iccid, 'downloadOrderWithEid', 5))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
  });

  it('keeps outbox entries until delivered and returns only the due ones', async () => {
    const id = await repo.transaction((tx) => tx.enqueueOutbox({ targetUrl: 'https://127.0.0.1/x', body: '{}', at: 10 }));
    expect(await repo.transaction((tx) => tx.dueOutbox(9, 10))).toEqual([]);
    await repo.transaction((tx) => tx.rescheduleOutbox(id, 'ECONNREFUSED', () => 20));
    expect(await repo.transaction((tx) => tx.dueOutbox(15, 10))).toEqual([]);
    const [due] = await repo.transaction((tx) => tx.dueOutbox(20, 10));
    expect(due).toMatchObject({ id, attempts: 1, lastError: 'ECONNREFUSED' });
    await repo.transaction((tx) => tx.markOutboxDelivered(id, 21));
    expect(await repo.transaction((tx) => tx.pendingOutboxCount())).toBe(0);
  });

  it('counts failed outbox attempts in the store, losing none under concurrent reschedules', async () => {
    const id = await repo.transaction((tx) => tx.enqueueOutbox({ targetUrl: 'https://127.0.0.1/y', body: '{}', at: 10 }));
    const dueTimes: number[] = [];
    const counts = await Promise.all(
      [1, 2, 3].map(() => repo.transaction((tx) => tx.rescheduleOutbox(id, 'timeout', (attempts) => (dueTimes.push(attempts), 100 * attempts)))),
    );
    expect(counts.sort()).toEqual([1, 2, 3]);
    expect(dueTimes.sort()).toEqual([1, 2, 3]);
    const [due] = await repo.transaction((tx) => tx.dueOutbox(300, 10));
    expect(due).toMatchObject({ id, attempts: 3, nextAttemptAt: 300, lastError: 'timeout' });
    expect(await repo.transaction((tx) => tx.rescheduleOutbox(id + 100, 'gone', () => 0))).toBeUndefined();
  });

  it('matches an IMEISV against a blocked IMEI', async () => {
    await repo.transaction((tx) => tx.blockImei(imeiDigits('490154203237518'), 'stolen', 1));
    expect(await repo.transaction((tx) => tx.isImeiBlocked(imeiDigits('490154203237518')))).toBe(true);
    expect(await repo.transaction((tx) => tx.isImeiBlocked(imeiDigits('4901542032375199')))).toBe(true);
    expect(await repo.transaction((tx) => tx.isImeiBlocked(imeiDigits('490154203237600')))).toBe(false);
  });

  it('finds the open orders of an EID that have no MatchingID, oldest first, and only those', async () => {
    const eid = eidDigits('89049032123451234512345678901235');
    const second = iccidDigits('8900000000000000019');
    const third = iccidDigits('8900000000000000027');
    const fourth = iccidDigits('8900000000000000035');
    const ids = await repo.transaction(async (tx) => {
      for (const one of [second, third, fourth]) await tx.insertProfile({ iccid: one, profileType: 'demo', state: 'available', imsi: '001010000000002', ki: new Uint8Array(16), opc: new Uint8Array(16) }, 1);
      const first = await tx.insertOrder({ iccid, eid, releaseFlag: true, operatorId: 'op', createdAt: 2 });
      const named = await tx.insertOrder({ iccid: second, eid, matchingId: matchingId('BY-EID-1'), releaseFlag: true, operatorId: 'op', createdAt: 2 });
      const closed = await tx.insertOrder({ iccid: third, eid, releaseFlag: true, operatorId: 'op', createdAt: 2, closedAt: 3, closeReason: 'cancelled' });
      const later = await tx.insertOrder({ iccid: fourth, eid, releaseFlag: true, operatorId: 'op', createdAt: 3 });
      return { first: first.orderId, named: named.orderId, closed: closed.orderId, later: later.orderId };
    });
    const found = async () => (await repo.transaction((tx) => tx.findOpenOrdersByEidWithoutMatchingId(eid))).map((order) => order.orderId);
    expect(await found()).toEqual([ids.first, ids.later]);
    // Given a MatchingID later (ES2+ ConfirmOrder), or closed, an order is no longer one of them.
    await repo.transaction((tx) => tx.updateOrder(ids.first, { matchingId: matchingId('BY-EID-2') }));
    expect(await found()).toEqual([ids.later]);
    await repo.transaction((tx) => tx.updateOrder(ids.later, { closedAt: 4, closeReason: 'expired' }));
    expect(await found()).toEqual([]);
  });

  it('counts attempts in single writes, losing none under concurrent increments', async () => {
    const order = await repo.transaction((tx) => tx.insertOrder({ iccid, releaseFlag: true, operatorId: 'op', createdAt: 2 }));
    const counts = await Promise.all([1, 2, 3, 4].map(() => repo.transaction((tx) => tx.incrementDownloadAttempts(order.orderId))));
    expect(counts.sort()).toEqual([1, 2, 3, 4]);
    expect(await repo.transaction((tx) => tx.incrementConfirmationCodeAttempts(order.orderId))).toBe(1);
    expect(await repo.transaction((tx) => tx.getOrder(order.orderId))).toMatchObject({ downloadAttempts: 4, confirmationCodeAttempts: 1 });
    await expect(repo.transaction((tx) => tx.incrementDownloadAttempts(order.orderId + 100))).rejects.toThrow(/does not exist/);
  });

  it('keeps anchor records until drained, one per event id', async () => {
    const order = await repo.transaction((tx) => tx.insertOrder({ iccid, releaseFlag: true, operatorId: 'op', createdAt: 2 }));
    const entry = { orderId: order.orderId, eventId: `0x${'ab'.repeat(32)}`, payload: '{"a":1}', at: 3 };
    const id = await repo.transaction((tx) => tx.enqueueAnchorRecord(entry));
    expect(await repo.transaction((tx) => tx.enqueueAnchorRecord({ ...entry, at: 4 }))).toBe(id);
    expect(await repo.transaction((tx) => tx.pendingAnchorRecords(10))).toEqual([
      { id, orderId: order.orderId, eventId: entry.eventId, payload: entry.payload, createdAt: 3 },
    ]);
    await repo.transaction((tx) => tx.markAnchorRecordDrained(id, 5));
    expect(await repo.transaction((tx) => tx.pendingAnchorRecords(10))).toEqual([]);
  });

  it("hands out a profile's activity tags once each, in order, under concurrent takes, until none is left or they are erased", async () => {
    const tags = [1, 2, 3].map((n) => new Uint8Array(32).fill(n));
    await repo.transaction((tx) => tx.putActivityTags(iccid, 1, tags));
    const taken = await Promise.all([0, 1, 2, 3].map(() => repo.transaction((tx) => tx.takeActivityTag(iccid))));
    expect(taken.filter((t) => t !== undefined).sort((a, b) => a.index - b.index)).toEqual(tags.map((tag, k) => ({ index: k + 1, tag })));
    expect(taken.filter((t) => t === undefined)).toHaveLength(1);
    await repo.transaction((tx) => tx.putActivityTags(iccid, 5, [tags[0]!]));
    expect(await repo.transaction((tx) => tx.eraseActivityTags(iccid))).toBe(true);
    expect(await repo.transaction((tx) => tx.takeActivityTag(iccid))).toBeUndefined();
    expect(await repo.transaction((tx) => tx.eraseActivityTags(iccid))).toBe(false);
    await expect(repo.transaction((tx) => tx.putActivityTags(iccid, 1, [new Uint8Array(31)]))).rejects.toThrow(/32 bytes/);
  });

  it('resets a test instance: no orders, outbox entries or anchor records, every profile available', async () => {
    const order = await repo.transaction(async (tx) => {
      await applyProfileEvent(tx, iccid, 'downloadOrderWithEid', 2);
      await tx.enqueueOutbox({ targetUrl: 'https://127.0.0.1/x', body: '{}', at: 2 });
      return tx.insertOrder({ iccid, releaseFlag: false, operatorId: 'op', createdAt: 2 });
    });
    await repo.transaction((tx) => tx.enqueueAnchorRecord({ orderId: order.orderId, eventId: `0x${'cd'.repeat(32)}`, payload: '{}', at: 3 }));
    await repo.resetOrders(9);
    expect(await repo.transaction((tx) => tx.getOrder(order.orderId))).toBeUndefined();
    expect(await repo.transaction((tx) => tx.pendingOutboxCount())).toBe(0);
    expect(await repo.transaction((tx) => tx.pendingAnchorRecords(10))).toEqual([]);
    expect((await repo.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('available');
  });

  it('resets a test instance whose installed profiles had activity tags: the tags go with the profiles', async () => {
    await repo.transaction(async (tx) => {
      await tx.putActivityTags(iccid, 1, [new Uint8Array(32).fill(9)]);
      await tx.eraseProfileSecrets(iccid);
    });
    await repo.resetOrders(9);
    expect(await repo.transaction((tx) => tx.takeActivityTag(iccid))).toBeUndefined();
  });

  it('gives each of N concurrent claims of one Available profile to exactly one, and of three profiles each to one', async () => {
    const claim = () =>
      repo.transaction(async (tx) => {
        const profile = await tx.findAvailableProfile('demo');
        if (profile === undefined) return undefined;
        await applyProfileEvent(tx, profile.iccid, 'downloadOrderWithEid', 2);
        await tx.insertOrder({ iccid: profile.iccid, releaseFlag: false, operatorId: 'op', createdAt: 2 });
        return profile.iccid;
      });
    const settled = await Promise.allSettled(Array.from({ length: 8 }, claim));
    const won = settled.flatMap((r) => (r.status === 'fulfilled' && r.value !== undefined ? [r.value] : []));
    expect(won).toEqual([iccid]);
    const more = ['8900000000000000019', '8900000000000000027', '8900000000000000035'].map((digits) => iccidDigits(digits));
    await repo.transaction(async (tx) => {
      for (const other of more) await tx.insertProfile({ iccid: other, profileType: 'demo', state: 'available', imsi: '001010000000002', ki: new Uint8Array(16), opc: new Uint8Array(16) }, 1);
    });
    const second = await Promise.allSettled(Array.from({ length: 8 }, claim));
    const taken = second.flatMap((r) => (r.status === 'fulfilled' && r.value !== undefined ? [r.value] : []));
    // No profile twice; on PostgreSQL (claims skip locked rows) all three are taken in the one round.
    expect(new Set(taken).size).toBe(taken.length);
    if (engine.claimsOutbox) expect(taken.sort()).toEqual(more.sort());
    expect(await repo.transaction((tx) => tx.countProfiles('available'))).toBe(more.length - taken.length);
  });

  it('moves an open order once under N concurrent closes: one wins, the others see it closed', async () => {
    const order = await repo.transaction(async (tx) => {
      await applyProfileEvent(tx, iccid, 'downloadOrderWithEid', 2);
      return tx.insertOrder({ iccid, releaseFlag: false, operatorId: 'op', createdAt: 2 });
    });
    const close = () =>
      repo.transaction(async (tx) => {
        const open = await tx.getOpenOrderByIccid(iccid);
        if (open === undefined) return false;
        await applyProfileEvent(tx, iccid, 'cancelOrderToAvailable', 3);
        await tx.updateOrder(open.orderId, { closedAt: 3, closeReason: 'cancelled' });
        return true;
      });
    const settled = await Promise.allSettled(Array.from({ length: 6 }, close));
    expect(settled.filter((r) => r.status === 'fulfilled' && r.value)).toHaveLength(1);
    expect(await repo.transaction((tx) => tx.profileHistory(iccid))).toHaveLength(2);
    expect((await repo.transaction((tx) => tx.getOrder(order.orderId)))?.closedAt).toBe(3);
  });

  it('reads an order with its profile (and its template, its sealed secrets) in one read: by id, or the open order of a MatchingID or of a bound transaction', async () => {
    const id = matchingId('WITH-PROFILE-1');
    const order = await repo.transaction(async (tx) => {
      await applyProfileEvent(tx, iccid, 'downloadOrderWithEid', 2);
      const inserted = await tx.insertOrder({ iccid, matchingId: id, releaseFlag: false, operatorId: 'op', createdAt: 2, confirmationCodeHash: new Uint8Array(32).fill(7) });
      await tx.updateOrder(inserted.orderId, { boundTransactionId: 'AB01', boundProfilePackage: Uint8Array.of(1, 2, 3) });
      return tx.getOrder(inserted.orderId);
    });
    const profile = await repo.transaction((tx) => tx.getProfile(iccid));
    // The bound package only when asked for.
    const { boundProfilePackage, ...withoutPackage } = order!;
    expect(boundProfilePackage).toEqual(Uint8Array.of(1, 2, 3));
    for (const key of [{ orderId: order!.orderId }, { openMatchingId: id }, { openBoundTransactionId: 'AB01' }]) {
      expect(await repo.transaction((tx) => tx.getOrderWithProfile(key))).toEqual({ order: withoutPackage, profile });
      expect(await repo.transaction((tx) => tx.getOrderWithProfile(key, { boundProfilePackage: true }))).toEqual({ order, profile });
    }
    const template = { profileType: 'demo', source: 'test', serviceProviderName: 'SP', profileName: 'Demo' };
    const names = await repo.transaction((tx) => tx.getOrderWithProfile({ openMatchingId: id }, { template: 'names' }));
    expect(names).toEqual({ order: withoutPackage, profile, template });
    const whole = await repo.transaction(async (tx) => {
      const found = await tx.getOrderWithProfile({ orderId: order!.orderId }, { template: 'whole', secrets: true });
      return { template: found?.template, secrets: await found?.openSecrets?.() };
    });
    expect(whole).toEqual({ template: { ...template, upp: Uint8Array.of(0xa0, 0x00) }, secrets: { ki: new Uint8Array(16), opc: new Uint8Array(16) } });
    await repo.transaction((tx) => tx.updateOrder(order!.orderId, { closedAt: 3, closeReason: 'cancelled' }));
    expect(await repo.transaction((tx) => tx.getOrderWithProfile({ openMatchingId: id }))).toBeUndefined();
    expect(await repo.transaction((tx) => tx.getOrderWithProfile({ openBoundTransactionId: 'AB01' }))).toBeUndefined();
    expect((await repo.transaction((tx) => tx.getOrderWithProfile({ orderId: order!.orderId })))?.order.closedAt).toBe(3);
    expect(await repo.transaction((tx) => tx.getOrderWithProfile({ orderId: order!.orderId + 100 }))).toBeUndefined();
  });

  it('opens Ki and OPc only where asked (getProfileSecrets), and erases them with the digests of that profile only', async () => {
    const other = iccidDigits('8900000000000000019');
    const [ki, opc] = [randomBytes(16), randomBytes(16)];
    const digest = new Uint8Array(32).fill(5);
    await repo.transaction(async (tx) => {
      await tx.insertProfile({ iccid: other, profileType: 'demo', state: 'available', imsi: '001010000000002', ki, opc }, 1);
      await tx.insertOrder({ iccid, releaseFlag: true, operatorId: 'op', createdAt: 2, confirmationCodeHash: digest });
      await tx.insertOrder({ iccid: other, releaseFlag: true, operatorId: 'op', createdAt: 2, confirmationCodeHash: digest });
    });
    const read = await repo.transaction((tx) => tx.getProfile(other));
    expect(read).toEqual({ iccid: other, profileType: 'demo', state: 'available', imsi: '001010000000002', updatedAt: 1 });
    expect(await repo.transaction((tx) => tx.getProfileSecrets(other))).toEqual({ ki: new Uint8Array(ki), opc: new Uint8Array(opc) });
    expect(await repo.transaction((tx) => tx.getProfileSecrets(iccidDigits('8900000000000000027')))).toBeUndefined();
    await repo.transaction((tx) => tx.eraseProfileSecrets(iccid));
    expect(await repo.transaction((tx) => tx.getProfileSecrets(iccid))).toEqual({ ki: new Uint8Array(0), opc: new Uint8Array(0) });
    expect((await repo.transaction((tx) => tx.getOpenOrderByIccid(iccid)))?.confirmationCodeHash).toBeUndefined();
    expect(await repo.transaction((tx) => tx.getProfileSecrets(other))).toEqual({ ki: new Uint8Array(ki), opc: new Uint8Array(opc) });
    expect((await repo.transaction((tx) => tx.getOpenOrderByIccid(other)))?.confirmationCodeHash).toEqual(digest);
  });

  it('moves an order found with its profile once under N concurrent moves from the profile state read with it', async () => {
    const id = matchingId('WITH-PROFILE-2');
    await repo.transaction(async (tx) => {
      await applyProfileEvent(tx, iccid, 'downloadOrderWithEid', 2);
      await applyProfileEvent(tx, iccid, 'confirmOrderAndRelease', 2);
      await tx.insertOrder({ iccid, matchingId: id, releaseFlag: true, operatorId: 'op', createdAt: 2 });
    });
    const bind = () =>
      repo.transaction(async (tx) => {
        const found = await tx.getOrderWithProfile({ openMatchingId: id });
        if (found === undefined || found.profile.state !== 'released') return false;
        await applyProfileEvent(tx, found.profile, 'bindProfile', 3);
        await tx.updateOrder(found.order.orderId, { boundTransactionId: 'CD02', closedAt: 3 });
        return true;
      });
    const settled = await Promise.allSettled(Array.from({ length: 6 }, bind));
    expect(settled.filter((r) => r.status === 'fulfilled' && r.value)).toHaveLength(1);
    expect((await repo.transaction((tx) => tx.profileHistory(iccid))).map((change) => change.event)).toEqual(['downloadOrderWithEid', 'confirmOrderAndRelease', 'bindProfile']);
  });

  it('hands a due outbox entry to one of N concurrent claimants on a shared store, and again after delivery fails', async (context) => {
    if (!engine.claimsOutbox) return context.skip();
    const id = await repo.transaction((tx) => tx.enqueueOutbox({ targetUrl: 'https://127.0.0.1/z', body: '{}', at: 10 }));
    const claims = await Promise.all(Array.from({ length: 8 }, () => repo.transaction((tx) => tx.dueOutbox(20, 10))));
    expect(claims.flat().map((entry) => entry.id)).toEqual([id]);
    // Claimed: not due to anyone else until the claim's lease ends or the attempt is recorded.
    expect(await repo.transaction((tx) => tx.dueOutbox(21, 10))).toEqual([]);
    await repo.transaction((tx) => tx.rescheduleOutbox(id, 'ECONNREFUSED', () => 30));
    const again = await Promise.all(Array.from({ length: 8 }, () => repo.transaction((tx) => tx.dueOutbox(30, 10))));
    expect(again.flat()).toMatchObject([{ id, attempts: 1 }]);
    expect(await repo.transaction((tx) => tx.pendingOutboxCount())).toBe(1);
  });
});

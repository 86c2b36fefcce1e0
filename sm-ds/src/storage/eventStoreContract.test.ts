// The SM-DS's event store contract (core/eventStore.ts) on every engine: SQLite and PostgreSQL (the run's
// server, testing/src/postgres/globalSetup.ts; a fresh database per test).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eidDigits } from '@zkesim/protocol';
import { freshDatabase, postgresAvailable } from '@zkesim/testing/postgres/testDatabase';
import type { EventRecord, EventStore } from '../core/eventStore.js';
import { openEventStore, type EventStorageConfig } from './openEventStore.js';

const eid = eidDigits('89049032123451234512345678901235');
const smdp = { role: 'smdp' as const, name: 'CN=SM-DP+ one' };
const other = { role: 'smdp' as const, name: 'CN=SM-DP+ two' };
const event = (eventId: string, at = 10, registrant = smdp): EventRecord => ({
  eid, eventId, rspServerAddress: 'smdp.example.com', registrant, createdAt: at, expiresAt: at + 100,
});

const engines: { name: string; available: boolean; create(): Promise<{ storage: EventStorageConfig; remove(): void }> }[] = [
  {
    name: 'sqlite',
    available: true,
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'smds-contract-'));
      return { storage: { kind: 'sqlite', path: join(dir, 'smds.db') }, remove: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    available: postgresAvailable(),
    async create() {
      return { storage: { kind: 'postgres', url: await freshDatabase('smds_contract'), maxConnections: 10 }, remove: () => undefined };
    },
  },
];

describe.each(engines)('SM-DS event store on $name', (engine) => {
  let store: EventStore;
  let remove: () => void;
  beforeEach(async (context) => {
    if (!engine.available) return context.skip();
    const created = await engine.create();
    remove = created.remove;
    store = await openEventStore(created.storage);
  });
  afterEach(async () => {
    if (!engine.available) return;
    await store.close();
    remove();
  });

  it('stores an event once per registrant: the same again is identical, another address a conflict', async () => {
    expect(await store.transaction((tx) => tx.insertEvent(event('E1')))).toBe('inserted');
    expect(await store.transaction((tx) => tx.insertEvent(event('E1', 11)))).toBe('identical');
    expect(await store.transaction((tx) => tx.insertEvent({ ...event('E1'), rspServerAddress: 'elsewhere.example' }))).toBe('conflict');
    expect(await store.transaction((tx) => tx.insertEvent(event('E1', 12, other)))).toBe('inserted');
    expect(await store.transaction((tx) => tx.countEvents())).toBe(2);
    expect(await store.transaction((tx) => tx.getEvent(eid, 'E1', smdp))).toEqual(event('E1'));
  });

  it('lists the EID\'s live events oldest first, forwards, deletes only the registrant\'s own, and sweeps expired ones', async () => {
    await store.transaction(async (tx) => {
      await tx.insertEvent(event('E2', 20));
      await tx.insertEvent(event('E1', 10));
      await tx.setForwardedEventId(eid, 'E1', smdp, 'F1');
    });
    expect((await store.transaction((tx) => tx.listEvents(eid, 15))).map((e) => [e.eventId, e.forwardedEventId])).toEqual([['E1', 'F1'], ['E2', undefined]]);
    expect((await store.transaction((tx) => tx.listEvents(eid, 115))).map((e) => e.eventId)).toEqual(['E2']);
    expect(await store.transaction((tx) => tx.deleteEvent(eid, 'E2', other))).toBe(false);
    expect((await store.transaction((tx) => tx.deleteExpired(115))).map((e) => e.eventId)).toEqual(['E1']);
    expect(await store.transaction((tx) => tx.deleteEvent(eid, 'E2', smdp))).toBe(true);
    expect(await store.transaction((tx) => tx.countEvents())).toBe(0);
    expect((await store.health()).engine).toBe(engine.name);
  });

  it('inserts one of N concurrent registrations of the same event, and rolls back a failed transaction', async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.transaction((tx) => tx.insertEvent(event('E3')))));
    expect(outcomes.filter((o) => o === 'inserted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'identical')).toHaveLength(7);
    await expect(
      store.transaction(async (tx) => {
        await tx.insertEvent(event('E4'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.transaction((tx) => tx.getEvent(eid, 'E4', smdp))).toBeUndefined();
  });
});

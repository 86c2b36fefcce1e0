// The download sessions in PostgreSQL (pgSessions.ts), as several processes see them: each store below has a
// pool of its own, as a process would. One use of a euiccChallenge, one winner of concurrent advances, the
// call table and lifetimes of the in-memory table, and the eUICC public key kept with the session.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IllegalSessionTransition, SessionTableFull } from '@zkesim/rsp-server';
import { parseCertificate } from '@zkesim/pki';
import { freshDatabase, postgresAvailable } from '@zkesim/testing/postgres/testDatabase';
import { sgp26 } from '@zkesim/testing/smdp/testPki';
import { openRepository, type OpenedRepository } from '../openRepository.js';
import { AesGcmSealer } from '../../adapters/secrets/aesGcmSealer.js';
import type { DownloadSessionStore, SessionLimits } from '../../core/downloadSession.js';
import type { PgSessionStore } from './pgSessions.js';

const limits: SessionLimits = { maxSessions: 100, lifetimeMs: 60_000, unauthenticated: { lifetimeMs: 10_000, maxPerSource: 2 } };

describe.skipIf(!postgresAvailable())('download sessions in PostgreSQL', () => {
  let processes: OpenedRepository[];
  let stores: DownloadSessionStore[];
  beforeEach(async () => {
    const url = await freshDatabase('smdp_sessions');
    const sealer = new AesGcmSealer(randomBytes(32));
    processes = await Promise.all([1, 2, 3].map(() => openRepository({ kind: 'postgres', url, maxConnections: 4, outboxClaimMs: 60_000 }, sealer)));
    stores = processes.map((repository) => {
      const store = repository.sharedDownloadSessions?.(limits);
      if (store === undefined) throw new Error('a PostgreSQL store shares its sessions');
      return store;
    });
  });
  afterEach(async () => {
    await Promise.all(processes.map((repository) => repository.close()));
  });

  const opened = (store: DownloadSessionStore, now = 1000) =>
    store.open({ transactionId: randomBytes(16), euiccChallenge: randomBytes(16), serverChallenge: randomBytes(16), credentialIndex: 0 }, now);

  it('lets exactly one of N concurrent uses of a euiccChallenge through, and forgets it after the session lifetime', async () => {
    const challenge = randomBytes(16);
    const seen = await Promise.all(Array.from({ length: 9 }, (_, n) => stores[n % 3]?.challengeSeen(challenge, 1000)));
    expect(seen.filter((s) => s === false)).toHaveLength(1);
    expect(await stores[0]?.challengeSeen(challenge, 1000 + limits.lifetimeMs)).toBe(false);
  });

  it('serves a session opened by one process to another, in the states the call table allows', async () => {
    const [a, b] = stores as [DownloadSessionStore, DownloadSessionStore];
    const session = await opened(a);
    expect(await b.forCall(session.transactionId, 'getBoundProfilePackage', 1001)).toBeUndefined();
    const atB = await b.forCall(session.transactionId, 'authenticateClient', 1001);
    expect(Buffer.from(atB?.serverChallenge ?? [])).toEqual(Buffer.from(session.serverChallenge));
    const euiccCertificate = new Uint8Array(readFileSync(sgp26('eUICC/CERT_EUICC_ECDSA_NIST.der')));
    const euiccPublicKey = parseCertificate(euiccCertificate).publicKey;
    await b.advance(atB!, 'authenticated', { orderId: 7, ccRequired: false, euiccCertificate, euiccPublicKey, smdpSignature2: Uint8Array.of(1, 2) });
    const atA = await a.forCall(session.transactionId, 'getBoundProfilePackage', 1002);
    expect(atA).toMatchObject({ state: 'authenticated', orderId: 7, ccRequired: false, smdpSignature2: Uint8Array.of(1, 2), expiresAt: 1000 + limits.lifetimeMs });
    expect(atA?.euiccPublicKey?.equals(euiccPublicKey)).toBe(true);
    await a.close(session.transactionId);
    expect(await b.forCall(session.transactionId, 'cancelSession', 1003)).toBeUndefined();
  });

  it('gives one of N concurrent advances of one session the change; the others get IllegalSessionTransition', async () => {
    const session = await opened(stores[0]!);
    const loaded = await Promise.all(stores.map((store) => store.forCall(session.transactionId, 'authenticateClient', 1001)));
    const results = await Promise.allSettled(loaded.map((copy, n) => stores[n]!.advance(copy!, 'authenticated', { orderId: n })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(IllegalSessionTransition);
  });

  it('opens a session with its challenge in one statement: of N concurrent openings with one euiccChallenge exactly one opens', async () => {
    const euiccChallenge = randomBytes(16);
    const attempts = Array.from({ length: 9 }, () => ({ transactionId: randomBytes(16), euiccChallenge, serverChallenge: randomBytes(16), credentialIndex: 0 }));
    const results = await Promise.all(attempts.map((session, n) => (stores[n % 3] as PgSessionStore).openUnseen(session, 1000)));
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    // Only the winner's session exists; the losers wrote nothing.
    const live = await Promise.all(attempts.map((session) => stores[0]!.forCall(session.transactionId, 'authenticateClient', 1001)));
    expect(live.filter((r) => r !== undefined).map((r) => Buffer.from(r!.transactionId).toString('hex'))).toEqual([Buffer.from(winners[0]!.transactionId).toString('hex')]);
    // The challenge is also seen by the two-step path, and forgotten after the session lifetime.
    expect(await stores[1]!.challengeSeen(euiccChallenge, 1001)).toBe(true);
    const later = { transactionId: randomBytes(16), euiccChallenge, serverChallenge: randomBytes(16), credentialIndex: 0 };
    expect(await (stores[2] as PgSessionStore).openUnseen(later, 1000 + limits.lifetimeMs)).toBeDefined();
  });

  it('makes a session change sent with a transaction\'s COMMIT together with the transaction: one of N concurrent ones commits, the others roll back whole', async () => {
    const session = await opened(stores[0]!);
    const loaded = await Promise.all(stores.map((store) => store.forCall(session.transactionId, 'authenticateClient', 1001)));
    const results = await Promise.allSettled(
      loaded.map((copy, n) =>
        processes[n]!.transaction(async (tx) => {
          await tx.enqueueOutbox({ targetUrl: `https://operator.example/${n}`, body: '{}', at: 1001 });
          void stores[n]!.advanceIn!(tx, copy!, 'authenticated', { orderId: n });
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(IllegalSessionTransition);
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    // The losers' outbox entries went with their transactions; the winner's session change and entry stayed.
    expect(await processes[1]!.transaction((tx) => tx.pendingOutboxCount())).toBe(1);
    expect(await processes[2]!.transaction((tx) => tx.listOutbox({ limit: 10 }))).toMatchObject([{ targetUrl: `https://operator.example/${winner}` }]);
    expect(await stores[1]!.forCall(session.transactionId, 'getBoundProfilePackage', 1002)).toMatchObject({ state: 'authenticated', orderId: winner });
    expect(loaded[winner]).toMatchObject({ state: 'authenticated', orderId: winner });
  });

  it('closes a session with the transaction it was closed in, and keeps it when that transaction fails', async () => {
    const session = await opened(stores[0]!);
    await expect(
      processes[1]!.transaction(async (tx) => {
        void stores[1]!.closeIn!(tx, session.transactionId);
        throw new Error('the call failed');
      }),
    ).rejects.toThrow('the call failed');
    expect(await stores[2]!.forCall(session.transactionId, 'authenticateClient', 1001)).toBeDefined();
    await processes[1]!.transaction(async (tx) => {
      void stores[1]!.closeIn!(tx, session.transactionId);
    });
    expect(await stores[2]!.forCall(session.transactionId, 'cancelSession', 1001)).toBeUndefined();
  });

  it('expires unauthenticated sessions early, and evicts the oldest of a source beyond its limit', async () => {
    const store = stores[0]!.forSource('198.51.100.7');
    const first = await opened(store, 1000);
    expect(await stores[1]!.isExpired(first.transactionId, 1000 + 10_000)).toBe(true);
    await opened(store, 1001);
    await opened(store, 1002);
    expect(await stores[1]!.forCall(first.transactionId, 'authenticateClient', 1003)).toBeUndefined();
    await stores[2]!.sweep(1003);
    expect(stores[2]!.size).toBe(2);
    expect(stores[2]!.unauthenticatedSize).toBe(2);
  });

  it('evicts the oldest unauthenticated session from a full table, and refuses a new one when all are authenticated', async () => {
    const evictions: string[] = [];
    const small = processes[0]!.sharedDownloadSessions?.({ maxSessions: 2, lifetimeMs: 60_000, unauthenticated: { onEvict: (reason) => evictions.push(reason) } });
    if (small === undefined) throw new Error('a PostgreSQL store shares its sessions');
    const first = await opened(small, 1000);
    const second = await opened(small, 1001);
    const third = await opened(small, 1002);
    expect(evictions).toEqual(['table-full']);
    expect(await small.forCall(first.transactionId, 'authenticateClient', 1003)).toBeUndefined();
    for (const session of [second, third]) await small.advance((await small.forCall(session.transactionId, 'authenticateClient', 1003))!, 'authenticated');
    await expect(opened(small, 1004)).rejects.toThrow(SessionTableFull);
    await small.sweep(1004);
    expect(small.size).toBe(2);
  });
});

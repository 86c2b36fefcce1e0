import { describe, expect, it } from 'vitest';
import { SessionTableFull } from '@zkesim/rsp-server';
import { SessionTable, type DownloadSession } from './downloadSession.js';

const id = (n: number): Uint8Array => Uint8Array.of(n);
const open = (table: SessionTable, n: number, now: number) =>
  table.open({ transactionId: id(n), euiccChallenge: Uint8Array.of(0xc0, n), serverChallenge: new Uint8Array(16), credentialIndex: 0 }, now);

describe('ES9+ session table (bounded, single use, expiring)', () => {
  it('when full, evicts the oldest session not yet authenticated; refuses only when all are authenticated, until they expire', () => {
    const table = new SessionTable(2, 1000);
    open(table, 1, 0);
    open(table, 2, 0);
    expect(open(table, 3, 10).state).toBe('initiated');
    expect(table.forCall(id(1), 'authenticateClient', 10)).toBeUndefined();
    table.advance(table.forCall(id(2), 'authenticateClient', 10) as DownloadSession, 'authenticated');
    table.advance(table.forCall(id(3), 'authenticateClient', 10) as DownloadSession, 'authenticated');
    expect(() => open(table, 4, 20)).toThrow(SessionTableFull);
    expect(open(table, 4, 1010).state).toBe('initiated');
    expect(table.size).toBe(1);
  });

  it('accepts each call only in its state (a replay finds nothing)', () => {
    const table = new SessionTable(10, 1000);
    const session = open(table, 1, 0);
    expect(table.forCall(id(1), 'getBoundProfilePackage', 1)).toBeUndefined();
    expect(table.forCall(id(1), 'authenticateClient', 1)).toBe(session);
    table.advance(session, 'authenticated');
    expect(table.forCall(id(1), 'authenticateClient', 1)).toBeUndefined();
    expect(table.forCall(id(1), 'cancelSession', 1)).toBe(session);
  });

  it('forgets expired sessions and remembers used euiccChallenges for the session lifetime', () => {
    const table = new SessionTable(10, 1000);
    open(table, 1, 0);
    expect(table.challengeSeen(Uint8Array.of(0xc0, 1), 999)).toBe(true);
    expect(table.isExpired(id(1), 1000)).toBe(true);
    expect(table.forCall(id(1), 'authenticateClient', 1000)).toBeUndefined();
    expect(table.challengeSeen(Uint8Array.of(0xc0, 1), 1000)).toBe(false);
  });

  it('bounds the challenge memory to four times the session limit', () => {
    const table = new SessionTable(2, 1_000_000);
    for (let n = 0; n < 20; n += 1) {
      open(table, n, 0);
      table.close(id(n));
    }
    expect(table.challengeSeen(Uint8Array.of(0xc0, 19), 1)).toBe(true);
    expect(table.challengeSeen(Uint8Array.of(0xc0, 0), 1)).toBe(false);
  });
});

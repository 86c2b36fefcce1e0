import { describe, expect, it } from 'vitest';
import { IllegalSessionTransition, MutualAuthSessionTable, SessionTableFull, type MutualAuthSession, type SessionRules } from './mutualAuthSessions.js';

// A two-step flow as an SM-DS runs it for ES11 (InitiateAuthentication → AuthenticateClient), with a
// field recorded at the transition.
type State = 'initiated' | 'authenticated';
type Call = 'authenticateClient' | 'cancel';
interface EventSession extends MutualAuthSession<State> {
  readonly eid?: string;
}
const rules: SessionRules<State, Call> = {
  initial: 'initiated',
  calls: { authenticateClient: ['initiated'], cancel: ['initiated', 'authenticated'] },
  transitions: { initiated: ['authenticated'], authenticated: [] },
};
const open = (table: MutualAuthSessionTable<State, Call, EventSession>, n: number, now = 0) =>
  table.open({ transactionId: Uint8Array.of(n), euiccChallenge: Uint8Array.of(0xc0, n) }, now);

describe('mutual-authentication session table', () => {
  it('opens sessions in the initial state of the rules', () => {
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 4, 1000);
    expect(open(table, 1).state).toBe('initiated');
  });

  it('opens a session as the fields given, its state and its times, and nothing else (a copy, not the object given)', () => {
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 4, 1000, { lifetimeMs: 100 });
    const given = { transactionId: Uint8Array.of(7), euiccChallenge: Uint8Array.of(0xc0, 7) };
    const session = table.open(given, 50);
    expect(session).not.toBe(given);
    expect(session).toStrictEqual({ transactionId: Uint8Array.of(7), euiccChallenge: Uint8Array.of(0xc0, 7), state: 'initiated', createdAt: 50, expiresAt: 150 });
    expect(Object.keys(session)).toEqual(['transactionId', 'euiccChallenge', 'state', 'createdAt', 'expiresAt']);
  });

  it('moves a session only along the listed transitions, recording the fields given', () => {
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 4, 1000);
    const session = open(table, 1);
    const advanced = table.advance(session, 'authenticated', { eid: '89049032123451234512345678901235' });
    expect(advanced).toBe(session);
    expect(session.state).toBe('authenticated');
    expect(session.eid).toBe('89049032123451234512345678901235');
    expect(table.forCall(Uint8Array.of(1), 'authenticateClient', 1)).toBeUndefined();
    expect(table.forCall(Uint8Array.of(1), 'cancel', 1)).toBe(session);
    expect(() => table.advance(session, 'initiated')).toThrow(IllegalSessionTransition);
    expect(() => table.advance(session, 'authenticated')).toThrow(IllegalSessionTransition);
  });

  it('refuses to advance a session that was closed meanwhile', () => {
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 4, 1000);
    const session = open(table, 1);
    table.close(session.transactionId);
    expect(() => table.advance(session, 'authenticated')).toThrow(IllegalSessionTransition);
  });
});

describe('unauthenticated sessions (before AuthenticateClient)', () => {
  const opened = (table: MutualAuthSessionTable<State, Call, EventSession>, n: number, now: number, source: string) =>
    table.open({ transactionId: Uint8Array.of(n), euiccChallenge: Uint8Array.of(0xc0, n) }, now, source);
  const alive = (table: MutualAuthSessionTable<State, Call, EventSession>, n: number, now: number) =>
    table.forCall(Uint8Array.of(n), 'cancel', now) !== undefined;

  it('live only for their own short lifetime; an authenticated session for the whole one', () => {
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 10, 10_000, { lifetimeMs: 100 });
    opened(table, 1, 0, 'a');
    table.advance(opened(table, 2, 0, 'a'), 'authenticated');
    expect(alive(table, 1, 99)).toBe(true);
    expect(table.isExpired(Uint8Array.of(1), 100)).toBe(true);
    expect(alive(table, 1, 100)).toBe(false);
    expect(alive(table, 2, 9_999)).toBe(true);
    expect(alive(table, 2, 10_000)).toBe(false);
    // The challenge stays remembered for the whole lifetime, whatever became of its session.
    expect(table.challengeSeen(Uint8Array.of(0xc0, 1), 5_000)).toBe(true);
  });

  it('per source: a source at its limit loses its own oldest unauthenticated session, no one else\'s', () => {
    const evicted: string[] = [];
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 100, 10_000, { maxPerSource: 2, onEvict: (reason) => evicted.push(reason) });
    opened(table, 1, 0, 'flood');
    table.advance(opened(table, 2, 0, 'flood'), 'authenticated');
    opened(table, 3, 0, 'other');
    opened(table, 4, 1, 'flood');
    opened(table, 5, 2, 'flood');
    // 2 was authenticated and does not count; 1 was the oldest unauthenticated one of 'flood'.
    expect([1, 2, 3, 4, 5].map((n) => alive(table, n, 3))).toEqual([false, true, true, true, true]);
    expect(evicted).toEqual(['source-limit']);
    expect(table.unauthenticatedSize).toBe(3);
  });

  it('a full table evicts the oldest unauthenticated session instead of refusing; only authenticated ones make it refuse', () => {
    const evicted: string[] = [];
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 3, 10_000, { onEvict: (reason) => evicted.push(reason) });
    table.advance(opened(table, 1, 0, 'a'), 'authenticated');
    opened(table, 2, 1, 'b');
    opened(table, 3, 2, 'c');
    opened(table, 4, 3, 'd');
    expect([1, 2, 3, 4].map((n) => alive(table, n, 4))).toEqual([true, false, true, true]);
    expect(evicted).toEqual(['table-full']);
    table.advance(table.forCall(Uint8Array.of(3), 'authenticateClient', 4) as EventSession, 'authenticated');
    table.advance(table.forCall(Uint8Array.of(4), 'authenticateClient', 4) as EventSession, 'authenticated');
    expect(() => opened(table, 5, 5, 'e')).toThrow(SessionTableFull);
  });

  it('a view for one source opens its sessions under that source and shares everything else', () => {
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 100, 10_000, { maxPerSource: 1 });
    const view = table.forSource('flood');
    view.open({ transactionId: Uint8Array.of(1), euiccChallenge: Uint8Array.of(0xc0, 1) }, 0);
    view.open({ transactionId: Uint8Array.of(2), euiccChallenge: Uint8Array.of(0xc0, 2) }, 0);
    expect([alive(table, 1, 1), alive(table, 2, 1), alive(view, 2, 1)]).toEqual([false, true, true]);
    expect(table.size).toBe(1);
  });
});

describe('dropping expired entries when a session opens', () => {
  const opened = (table: MutualAuthSessionTable<State, Call, EventSession>, n: number, now: number) =>
    table.open({ transactionId: Uint8Array.of(n), euiccChallenge: Uint8Array.of(0xc0, n) }, now, `source-${n}`);

  it('drops every expired session, authenticated or not, in whatever order they were opened and authenticated', () => {
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 10, 1000, { lifetimeMs: 100 });
    table.advance(opened(table, 1, 0), 'authenticated'); // lives until 1000
    opened(table, 2, 10); // until 110
    table.advance(opened(table, 3, 20), 'authenticated'); // until 1020
    opened(table, 4, 30); // until 130
    expect([table.size, table.unauthenticatedSize]).toEqual([4, 2]);
    opened(table, 5, 200); // 2 and 4 have expired, behind the authenticated 1 and 3; 5 lives until 300
    expect([table.size, table.unauthenticatedSize]).toEqual([3, 1]);
    opened(table, 6, 250); // until 350
    expect([table.size, table.unauthenticatedSize]).toEqual([4, 2]);
    opened(table, 7, 1010); // 1 has expired; 3 not yet; 5 and 6 have
    expect([table.size, table.unauthenticatedSize]).toEqual([2, 1]);
    expect(table.forCall(Uint8Array.of(3), 'cancel', 1010)).toBeDefined();
    opened(table, 8, 1020);
    expect([table.size, table.unauthenticatedSize]).toEqual([2, 2]);
  });

  it('remembers a challenge for the whole lifetime, also one used again after it was forgotten', () => {
    const table = new MutualAuthSessionTable<State, Call, EventSession>(rules, 10, 1000, { lifetimeMs: 100 });
    const challenge = (n: number) => Uint8Array.of(0xc0, n);
    opened(table, 1, 0);
    opened(table, 2, 500);
    expect(table.challengeSeen(challenge(1), 999)).toBe(true);
    expect(table.challengeSeen(challenge(1), 1000)).toBe(false);
    // The same challenge once more (the first memory has expired): it is remembered anew, after challenge 2.
    table.open({ transactionId: Uint8Array.of(9), euiccChallenge: challenge(1) }, 1200, 'again');
    opened(table, 3, 1600); // challenge 2 (until 1500) is forgotten; challenge 1 (until 2200) is not
    expect(table.challengeSeen(challenge(2), 1600)).toBe(false);
    expect(table.challengeSeen(challenge(1), 2199)).toBe(true);
    opened(table, 4, 2199);
    expect(table.challengeSeen(challenge(1), 2199)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { IllegalSessionTransition, MutualAuthSessionTable, type MutualAuthSession, type SessionRules } from './mutualAuthSessions.js';

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

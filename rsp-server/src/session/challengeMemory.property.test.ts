// The session table's challenge memory (walked through its own oldest-first order) against the reading it replaced,
// which walked the Map of challenges from its start: random openings with challenges from a small pool, full sweeps,
// and a clock that mostly moves on (sometimes back a little); after every step both remember the same challenges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MutualAuthSessionTable, type MutualAuthSession, type SessionRules } from './mutualAuthSessions.js';

type State = 'initiated' | 'authenticated';
const rules: SessionRules<State, 'call'> = { initial: 'initiated', calls: { call: ['initiated'] }, transitions: { initiated: ['authenticated'], authenticated: [] } };
const lifetimeMs = 1000;
const maxSessions = 2; // the challenge memory is bounded to 4 × 2

/** The replaced reading: a Map in insertion order, walked from its start. */
class ReferenceMemory {
  private readonly challenges = new Map<number, number>();

  open(challenge: number, now: number): void {
    for (const [key, until] of this.challenges) {
      if (until > now) break;
      this.challenges.delete(key);
    }
    this.challenges.delete(challenge);
    this.challenges.set(challenge, now + lifetimeMs);
    for (const key of this.challenges.keys()) {
      if (this.challenges.size <= 4 * maxSessions) break;
      this.challenges.delete(key);
    }
  }

  sweep(now: number): void {
    for (const [key, until] of this.challenges) if (until <= now) this.challenges.delete(key);
  }

  seen(challenge: number, now: number): boolean {
    const until = this.challenges.get(challenge);
    return until !== undefined && until > now;
  }
}

const step = fc.record({ sweep: fc.boolean(), challenge: fc.nat(11), dt: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: -50, max: 0 })) });

describe('challenge memory', () => {
  it('remembers exactly what the Map-walking reading remembered', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const table = new MutualAuthSessionTable<State, 'call', MutualAuthSession<State>>(rules, maxSessions, lifetimeMs);
        const reference = new ReferenceMemory();
        let now = 0;
        steps.forEach(({ sweep, challenge, dt }, n) => {
          now = Math.max(0, now + dt);
          if (sweep) {
            table.sweep(now);
            reference.sweep(now);
          } else {
            table.open({ transactionId: Uint8Array.of(n >> 8, n & 0xff), euiccChallenge: Uint8Array.of(0xc0, challenge) }, now);
            reference.open(challenge, now);
          }
          for (let c = 0; c < 12; c += 1) {
            for (const at of [now, now + 500]) expect(table.challengeSeen(Uint8Array.of(0xc0, c), at)).toBe(reference.seen(c, at));
          }
        });
      }),
      { numRuns: 2000 },
    );
  });
});

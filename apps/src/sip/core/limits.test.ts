// The verifier's replay cache and call rate limit, on an injected clock.
import { describe, expect, it } from 'vitest';
import { RateLimit, ReplayCache } from './limits.js';

const clockAt = (start: number) => {
  const clock = { time: start, now: () => clock.time };
  return clock;
};

describe('ReplayCache', () => {
  it('refuses a second use of a (nullifier, message) until it expires, and fails closed when full', () => {
    const clock = clockAt(1_000);
    const cache = new ReplayCache(clock, 2);
    expect(cache.use('n1', 'm1', 5_000)).toBe('fresh');
    expect(cache.use('n1', 'm1', 5_000)).toBe('replayed');
    expect(cache.use('n1', 'm2', 5_000)).toBe('fresh');
    expect(cache.use('n2', 'm1', 5_000)).toBe('full');
    clock.time = 5_000;
    // Expired entries make room; an expired use is no longer a replay (its epoch, and so its scope, is over).
    expect(cache.use('n2', 'm1', 9_000)).toBe('fresh');
    expect(cache.use('n1', 'm1', 9_000)).toBe('fresh');
  });
});

describe('RateLimit', () => {
  it('allows `limit` events per key in any window and counts no refused event', () => {
    const clock = clockAt(0);
    const limit = new RateLimit(clock, 2, 1_000);
    expect([limit.take('a'), limit.take('a'), limit.take('a'), limit.take('b')]).toEqual([true, true, false, true]);
    clock.time = 999;
    expect(limit.take('a')).toBe(false);
    clock.time = 1_000;
    expect(limit.take('a')).toBe(true);
    expect(limit.take('a')).toBe(true);
    expect(limit.take('a')).toBe(false);
  });

  it('refuses new keys rather than forgetting active ones when it holds maxKeys', () => {
    const clock = clockAt(0);
    const limit = new RateLimit(clock, 1, 1_000, 1);
    expect(limit.take('a')).toBe(true);
    expect(limit.take('b')).toBe(false);
    clock.time = 1_000;
    expect(limit.take('b')).toBe(true);
  });
});

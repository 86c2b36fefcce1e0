import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrencyLimit.js';

describe('per-address concurrency limit', () => {
  it('gives each address its own quota and frees a slot once', () => {
    const limit = new ConcurrencyLimit(2);
    const a1 = limit.acquire('a');
    const a2 = limit.acquire('a');
    expect(limit.acquire('a')).toBeUndefined();
    expect(limit.acquire('b')).toBeTypeOf('function');
    a1?.();
    a1?.();
    expect(limit.acquire('a')).toBeTypeOf('function');
    expect(limit.acquire('a')).toBeUndefined();
    a2?.();
    expect(limit.addresses()).toBe(2);
  });
});

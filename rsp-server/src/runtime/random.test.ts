import { describe, expect, it } from 'vitest';
import { PooledRandomSource, RANDOM_POOL_BYTES, systemRandom } from './random.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('PooledRandomSource', () => {
  it('hands out the asked lengths, as Uint8Arrays of their own', () => {
    const random = new PooledRandomSource();
    for (const length of [0, 1, 12, 16, 32, RANDOM_POOL_BYTES / 4, RANDOM_POOL_BYTES / 4 + 1, RANDOM_POOL_BYTES, 3 * RANDOM_POOL_BYTES]) {
      const bytes = random.bytes(length);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.length).toBe(length);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(length);
    }
  });

  it('never hands out the same bytes twice, across many refills (a pool not refilled would give zeros or repeats)', () => {
    const random = new PooledRandomSource();
    const seen = new Set<string>();
    // 16-byte values in steps that do not divide the pool, so draws straddle every refill.
    const draws = Math.ceil((8 * RANDOM_POOL_BYTES) / 16);
    for (let i = 0; i < draws; i += 1) {
      const value = random.bytes(i % 3 === 0 ? 12 : 16);
      expect(value.every((byte) => byte === 0)).toBe(false);
      seen.add(hex(value));
    }
    expect(seen.size).toBe(draws);
  });

  it('gives values that do not change when the pool moves on, and that the caller may change', () => {
    const random = new PooledRandomSource();
    const first = random.bytes(16);
    const copy = hex(first);
    for (let i = 0; i < 2 * RANDOM_POOL_BYTES; i += 16) random.bytes(16);
    expect(hex(first)).toBe(copy);
    first.fill(0);
    expect(random.bytes(16).every((byte) => byte === 0)).toBe(false);
  });

  it('draws bytes that look uniform (each byte value about equally often over 256 KiB)', () => {
    const counts = new Array<number>(256).fill(0);
    const total = 256 * 1024;
    for (let drawn = 0; drawn < total; drawn += 16) for (const byte of systemRandom.bytes(16)) counts[byte] = (counts[byte] ?? 0) + 1;
    const expected = total / 256;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 255 degrees of freedom: above 400 has probability below 1e-7 for uniform bytes.
    expect(chiSquare).toBeLessThan(400);
  });

  it('refuses lengths that are not non-negative integers', () => {
    const random = new PooledRandomSource();
    for (const length of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => random.bytes(length)).toThrow(RangeError);
  });
});

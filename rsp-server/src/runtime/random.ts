// The production random source (OpenSSL's CSPRNG); tests pass a seeded one.
import { randomFillSync } from 'node:crypto';
import type { RandomSource } from '@zkesim/protocol';

/** Bytes drawn from OpenSSL at once; requests of more than a quarter of it are drawn on their own. */
export const RANDOM_POOL_BYTES = 4096;
const LARGEST_POOLED = RANDOM_POOL_BYTES / 4;

/**
 * OpenSSL's CSPRNG (`randomFillSync`) drawn a pool at a time: node makes a crypto job per call, several µs
 * each where the bytes themselves cost nanoseconds, and a download asks for a few 12- and 16-byte values
 * (transactionId, serverChallenge, the PPKs, AES-GCM nonces). Every byte is handed out once: it is copied
 * out and its place in the pool zeroed, so no second copy of a handed-out key stays behind, and a pool that
 * was not refilled would hand out zeros, never repeated bytes. Per process: cluster workers are processes
 * started anew, never copies of one pool.
 */
export class PooledRandomSource implements RandomSource {
  readonly #pool = new Uint8Array(RANDOM_POOL_BYTES);
  // Everything before `#next` has been handed out (and zeroed); a fresh pool is filled on first use.
  #next = RANDOM_POOL_BYTES;

  bytes(length: number): Uint8Array {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`random bytes: length must be a non-negative integer, got ${length}`);
    if (length > LARGEST_POOLED) return randomFillSync(new Uint8Array(length));
    if (this.#next + length > RANDOM_POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#next = 0;
    }
    const start = this.#next;
    this.#next = start + length;
    const out = this.#pool.slice(start, this.#next);
    this.#pool.fill(0, start, this.#next);
    return out;
  }
}

export const systemRandom: RandomSource = new PooledRandomSource();

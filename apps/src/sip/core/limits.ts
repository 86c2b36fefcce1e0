// The verifier's two memories: the proofs already used (a replay cache) and each caller's recent calls (a rate
// limit). Both are bounded and in memory: a restart forgets them. A proof replayed after a restart can only redo
// what it was made for (register the same contact for the same address, offer the same call with the same media
// keys), since its message binds the request; and the rate limits start again.
import type { Clock } from '@zkesim/protocol';

/**
 * Uses of a (nullifier, message) pair until their epoch ends. Keyed on what the proof binds, not on its bytes:
 * Groth16 proofs can be re-randomised by anyone, so a replay need not be byte-identical.
 */
export class ReplayCache {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries: number,
  ) {}

  /** Records the use; 'replayed' when it was used before, 'full' when the cache cannot remember one more. */
  use(nullifier: string, message: string, expiresAtMs: number): 'fresh' | 'replayed' | 'full' {
    const key = `${nullifier}:${message}`;
    const now = this.clock.now();
    const known = this.used.get(key);
    if (known !== undefined && known > now) return 'replayed';
    if (this.used.size >= this.maxEntries) for (const [entry, expiry] of this.used) if (expiry <= now) this.used.delete(entry);
    // Fail closed: forgetting an unexpired use would let it be replayed.
    if (this.used.size >= this.maxEntries) return 'full';
    this.used.set(key, expiresAtMs);
    return 'fresh';
  }
}

/** At most `limit` events per key in any `windowMs` (a sliding window over the events' times). */
export class RateLimit {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one event for `key`; false (and nothing counted) when the key is at its limit. */
  take(key: string): boolean {
    const now = this.clock.now();
    const recent = (this.events.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.events.set(key, recent);
      return false;
    }
    if (!this.events.has(key) && this.events.size >= this.maxKeys) this.prune(now);
    if (!this.events.has(key) && this.events.size >= this.maxKeys) return false;
    recent.push(now);
    this.events.set(key, recent);
    return true;
  }

  private prune(now: number): void {
    for (const [key, times] of this.events) if (times.every((at) => now - at >= this.windowMs)) this.events.delete(key);
  }
}

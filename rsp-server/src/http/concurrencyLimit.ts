// Per-client-address concurrency cap. An LPA runs one download at a time, so a handful of
// requests in flight per address is generous; beyond it the server answers 429 instead of queueing work.
export class ConcurrencyLimit {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly perAddress: number) {}

  /** Takes a slot for `address`; returns a release function, or undefined when the address is at its cap. */
  acquire(address: string): (() => void) | undefined {
    const current = this.inFlight.get(address) ?? 0;
    if (current >= this.perAddress) return undefined;
    this.inFlight.set(address, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const remaining = (this.inFlight.get(address) ?? 1) - 1;
      if (remaining <= 0) this.inFlight.delete(address);
      else this.inFlight.set(address, remaining);
    };
  }

  addresses(): number {
    return this.inFlight.size;
  }
}

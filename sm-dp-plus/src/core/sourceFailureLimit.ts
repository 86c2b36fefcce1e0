// Wrong confirmation codes per source address. The per-order limit (OrderPolicy.confirmationCodeMaxAttempts,
// SGP.22 §5.6.2) stops guessing one order's code; this one stops a source that spreads its guesses over many
// orders. Counted in memory over a sliding window: a restart forgets it, and the order limits still hold.
// SPEC-AMBIGUITY: SGP.22 sets no per-source limit; a source over it gets the wrong-code answer (8.2.7 / 3.8)
// without its code being checked or the order charged, so an order is not locked by someone else's guesses.
export class SourceFailureLimit {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    /** Sources remembered at most; the oldest are forgotten first, so memory stays bounded under a flood. */
    private readonly maxSources = 100_000,
  ) {}

  /** True when the source sent `maxFailures` wrong codes within the window ending at `now`. */
  exhausted(source: string | undefined, now: number): boolean {
    if (source === undefined) return false;
    return this.recent(source, now).length >= this.maxFailures;
  }

  record(source: string | undefined, now: number): void {
    if (source === undefined) return;
    const times = this.recent(source, now);
    times.push(now);
    this.failures.delete(source);
    this.failures.set(source, times);
    if (this.failures.size > this.maxSources) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  private recent(source: string, now: number): number[] {
    const times = (this.failures.get(source) ?? []).filter((at) => at > now - this.windowMs);
    if (times.length === 0) this.failures.delete(source);
    else this.failures.set(source, times);
    return times;
  }
}

// The bounded, in-memory table of mutual-authentication sessions that an SM-DP+ (ES9+, SGP.22 §3.1.3) and
// an SM-DS (ES11, §3.6) both keep between InitiateAuthentication and the calls that follow it, keyed by
// transactionId, plus the memory of euiccChallenges already used: §3.1.2 and §3.6.1 have the server
// refuse a challenge it has seen, so a replayed InitiateAuthentication/AuthenticateClient never runs twice.
//
// What a session may do next is data, not code: `calls` says which function a session accepts in which
// state, `transitions` which state may follow which. A session changes only through `advance`, which
// checks that table. Sans-I/O: time comes in as arguments.
//
// A session still in its initial state is unauthenticated: anyone can open one with a fresh challenge, and
// until AuthenticateClient verified an eUICC behind it (§3.1.3) it must not cost other clients their
// sessions. So it lives only a short lifetime of its own, a source (the key of the client's address, given
// by the HTTP adapter, never a socket) holds only so many, and a full table evicts the oldest unauthenticated
// session instead of refusing a new one; only authenticated sessions can fill the table.

export class SessionTableFull extends Error {
  override readonly name = 'SessionTableFull';
  constructor(readonly limit: number) {
    super(`the session table holds its maximum of ${limit} open sessions`);
  }
}

export class IllegalSessionTransition extends Error {
  override readonly name = 'IllegalSessionTransition';
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`a session in state ${from} cannot move to ${to}`);
  }
}

/** What every mutual-authentication session holds; a server's own session type extends it. */
export interface MutualAuthSession<State extends string> {
  readonly transactionId: Uint8Array;
  readonly euiccChallenge: Uint8Array;
  readonly state: State;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface SessionRules<State extends string, Call extends string> {
  /** The state of a session InitiateAuthentication has just opened. */
  readonly initial: State;
  /** Which call a session accepts in which state; anything else finds no session (unknown transaction). */
  readonly calls: { readonly [C in Call]: readonly State[] };
  /** Which state may follow which (a state may list itself, for data added without a state change). */
  readonly transitions: { readonly [S in State]: readonly State[] };
}

/** Limits of sessions in the initial state (before the client is authenticated). */
export interface UnauthenticatedLimits {
  /** How long a session may stay in the initial state; default the table's lifetime. */
  lifetimeMs?: number;
  /** Initial-state sessions per source; a new one beyond it evicts the source's oldest. Default: no limit. */
  maxPerSource?: number;
  /** Told of each evicted session (for a metric). */
  onEvict?: (reason: SessionEviction) => void;
}

/** Why an unauthenticated session was evicted: its source opened one more, or the table was full. */
export type SessionEviction = 'source-limit' | 'table-full';

type Fixed = 'transactionId' | 'euiccChallenge' | 'state' | 'createdAt' | 'expiresAt';

/** Hex of a transactionId or challenge: the key under which it is remembered. */
export function transactionKey(transactionId: Uint8Array): string {
  // A view, not a copy (Buffer.from of a Uint8Array copies it).
  return Buffer.from(transactionId.buffer, transactionId.byteOffset, transactionId.byteLength).toString('hex').toUpperCase();
}

/** A remembered euiccChallenge; a new memory of the same challenge is a new object. */
interface ChallengeMemory {
  readonly key: string;
  readonly until: number;
}

/**
 * The challenge memories oldest first, as an array walked from a head index. The Map of challenges is not walked
 * from its start instead: V8 leaves a deleted Map entry in place until the Map is rehashed, so with thousands of
 * challenges remembered and the oldest going one per opening, every walk skipped thousands of deleted entries
 * (in a loop, 7 µs per opening rising to 51 µs with 40 000 entries). A memory the Map no longer holds (forgotten
 * by a full sweep, or the challenge remembered again since) is skipped when the walk reaches it. One object
 * shared by a table and its views (forSource), like the Maps.
 */
class ChallengeOrder {
  private items: (ChallengeMemory | undefined)[] = [];
  private head = 0;

  push(memory: ChallengeMemory): void {
    this.items.push(memory);
  }

  first(): ChallengeMemory | undefined {
    return this.items[this.head];
  }

  shift(): ChallengeMemory | undefined {
    const memory = this.items[this.head];
    if (memory === undefined) return undefined;
    this.items[this.head] = undefined;
    this.head += 1;
    // The walked part is dropped once it is half of the array (amortised: each entry is copied at most once more).
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return memory;
  }
}

export class MutualAuthSessionTable<State extends string, Call extends string, S extends MutualAuthSession<State>> {
  private readonly sessions = new Map<string, S>();
  /** euiccChallenge (hex) → its memory: when it may be forgotten. */
  private readonly challenges = new Map<string, ChallengeMemory>();
  /** The same memories oldest first, walked instead of the Map (see ChallengeOrder). */
  private readonly challengeOrder = new ChallengeOrder();
  /** Sessions in the initial state, oldest first (Map keeps insertion order): transactionId (hex) → source. */
  private readonly unauthenticated = new Map<string, string>();
  /** The same, per source, oldest first. */
  private readonly unauthenticatedBySource = new Map<string, Set<string>>();
  /** The source `open` records when it is given none (set on the views of `forSource`). */
  private readonly defaultSource: string = 'unknown';
  private readonly unauthenticatedLifetimeMs: number;
  private readonly maxPerSource: number;

  constructor(
    private readonly rules: SessionRules<State, Call>,
    private readonly maxSessions: number,
    private readonly lifetimeMs: number,
    private readonly limits: UnauthenticatedLimits = {},
  ) {
    this.unauthenticatedLifetimeMs = Math.min(limits.lifetimeMs ?? lifetimeMs, lifetimeMs);
    this.maxPerSource = limits.maxPerSource ?? Infinity;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Sessions still in the initial state. */
  get unauthenticatedSize(): number {
    return this.unauthenticated.size;
  }

  /**
   * This table as seen by one source: `open` records the sessions it opens under `source`; everything else
   * (sessions, challenges, limits) is the table's own. An adapter hands it to code that opens sessions
   * without knowing where requests come from.
   */
  forSource(source: string): this {
    // The table's own fields (its Maps shared, not copied) on an object of the same class: `Object.create(this)`
    // made the table a prototype, which V8 keeps in dictionary mode, so every `this.…` of every call was a hash
    // look-up.
    return Object.assign(Object.create(Object.getPrototypeOf(this) as object) as this, this, { defaultSource: source });
  }

  /** True if this euiccChallenge was already used within the session lifetime. */
  challengeSeen(euiccChallenge: Uint8Array, now: number): boolean {
    const memory = this.challenges.get(transactionKey(euiccChallenge));
    return memory !== undefined && memory.until > now;
  }

  /**
   * Opens a session for `source` (the key of the client's address): expired ones are dropped first; a source
   * at its limit loses its oldest unauthenticated session, a full table its oldest unauthenticated one; a
   * table full of authenticated sessions refuses (SessionTableFull).
   */
  open(session: Omit<S, 'state' | 'createdAt' | 'expiresAt'>, now: number, source: string = this.defaultSource): S {
    this.sweepOldest(now);
    const own = this.unauthenticatedBySource.get(source);
    if (own !== undefined && own.size >= this.maxPerSource) this.evict(own.values().next().value as string, 'source-limit');
    if (this.sessions.size >= this.maxSessions) {
      const oldest = this.unauthenticated.keys().next();
      if (oldest.done === true) throw new SessionTableFull(this.maxSessions);
      this.evict(oldest.value, 'table-full');
    }
    const key = transactionKey(session.transactionId);
    // Object.assign onto `{}`, not `{ ...session, state, … }`: V8 (Node 20) gives an object made by spreading a map of
    // its own for every key added after the spread, here and in each later `advance` (about 10 µs per download
    // against 0.3 µs), where Object.assign follows the transitions every session shares.
    const opened = Object.assign({}, session, { state: this.rules.initial, createdAt: now, expiresAt: now + this.unauthenticatedLifetimeMs }) as unknown as S;
    this.drop(key);
    this.sessions.set(key, opened);
    this.unauthenticated.set(key, source);
    const bySource = this.unauthenticatedBySource.get(source) ?? new Set<string>();
    bySource.add(key);
    this.unauthenticatedBySource.set(source, bySource);
    // A new memory, also for a challenge remembered before: its place in the order is at the end (sweepOldest
    // relies on the order being the order of expiry).
    const memory: ChallengeMemory = { key: transactionKey(session.euiccChallenge), until: now + this.lifetimeMs };
    this.challenges.set(memory.key, memory);
    this.challengeOrder.push(memory);
    // The challenge memory is bounded too: beyond 4× the session limit the oldest entries go first, which only
    // shortens how long a very old challenge is remembered.
    while (this.challenges.size > 4 * this.maxSessions) {
      const oldest = this.challengeOrder.shift();
      if (oldest === undefined) break;
      if (this.challenges.get(oldest.key) === oldest) this.challenges.delete(oldest.key);
    }
    return opened;
  }

  /**
   * The session for `transactionId` if it exists, has not expired and accepts `call` in its state;
   * otherwise undefined (the caller reports an unknown transaction).
   */
  forCall(transactionId: Uint8Array, call: Call, now: number): S | undefined {
    const key = transactionKey(transactionId);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    if (session.expiresAt <= now) {
      this.drop(key);
      return undefined;
    }
    return this.rules.calls[call].includes(session.state) ? session : undefined;
  }

  /**
   * Moves a session to state `to`, recording `fields` with it. Refuses (IllegalSessionTransition) a move
   * the rules do not list, and a session that is no longer in the table (closed or expired meanwhile).
   * Leaving the initial state authenticates the session: it now lives the table's whole lifetime from its
   * opening and no longer counts against its source.
   */
  advance(session: S, to: State, fields: Partial<Omit<S, Fixed>> = {}): S {
    const key = transactionKey(session.transactionId);
    const stored = this.sessions.get(key);
    if (stored !== session || !this.rules.transitions[session.state].includes(to)) throw new IllegalSessionTransition(session.state, to);
    const authenticated = this.unauthenticated.has(key) && to !== this.rules.initial;
    if (authenticated) this.leaveUnauthenticated(key);
    // The one place a session changes; the object keeps its identity so callers holding it see the change.
    Object.assign(session as MutualAuthSession<State>, fields, { state: to }, authenticated ? { expiresAt: session.createdAt + this.lifetimeMs } : {});
    return session;
  }

  /** An expired session is reported apart from an unknown one, so callers can name the cause in logs. */
  isExpired(transactionId: Uint8Array, now: number): boolean {
    const session = this.sessions.get(transactionKey(transactionId));
    return session !== undefined && session.expiresAt <= now;
  }

  close(transactionId: Uint8Array): void {
    this.drop(transactionKey(transactionId));
  }

  /** Drops every expired session and forgets every expired challenge. */
  sweep(now: number): void {
    for (const [key, session] of this.sessions) if (session.expiresAt <= now) this.drop(key);
    for (const [key, memory] of this.challenges) if (memory.until <= now) this.challenges.delete(key);
  }

  /**
   * `sweep` for `open`, without walking what cannot have expired: both Maps are in opening order, a session
   * lives at least the unauthenticated lifetime from its opening and a challenge exactly `lifetimeMs`, so each
   * walk stops at the first entry too young to have expired. (The challenges alone are up to four times the
   * session limit; a full walk per opening made every download pay for the table's size.) Should the clock
   * step back, an expired entry behind a younger one waits for the periodic full `sweep`.
   */
  private sweepOldest(now: number): void {
    for (const [key, session] of this.sessions) {
      if (session.createdAt + this.unauthenticatedLifetimeMs > now) break;
      if (session.expiresAt <= now) this.drop(key);
    }
    const order = this.challengeOrder;
    for (let oldest = order.first(); oldest !== undefined; oldest = order.first()) {
      if (this.challenges.get(oldest.key) === oldest) {
        if (oldest.until > now) break;
        this.challenges.delete(oldest.key);
      }
      order.shift();
    }
  }

  private evict(key: string, reason: SessionEviction): void {
    this.drop(key);
    this.limits.onEvict?.(reason);
  }

  private drop(key: string): void {
    this.sessions.delete(key);
    this.leaveUnauthenticated(key);
  }

  private leaveUnauthenticated(key: string): void {
    const source = this.unauthenticated.get(key);
    if (source === undefined) return;
    this.unauthenticated.delete(key);
    const bySource = this.unauthenticatedBySource.get(source);
    bySource?.delete(key);
    if (bySource?.size === 0) this.unauthenticatedBySource.delete(source);
  }
}

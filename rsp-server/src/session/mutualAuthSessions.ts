// The bounded, in-memory table of mutual-authentication sessions that an SM-DP+ (ES9+, SGP.22 §3.1.3) and
// an SM-DS (ES11, §3.6) both keep between InitiateAuthentication and the calls that follow it, keyed by
// transactionId, plus the memory of euiccChallenges already used: §3.1.2 and §3.6.1 have the server
// refuse a challenge it has seen, so a replayed InitiateAuthentication/AuthenticateClient never runs twice.
//
// What a session may do next is data, not code: `calls` says which function a session accepts in which
// state, `transitions` which state may follow which. A session changes only through `advance`, which
// checks that table. Sans-I/O: time comes in as arguments.

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

type Fixed = 'transactionId' | 'euiccChallenge' | 'state' | 'createdAt' | 'expiresAt';

/** Hex of a transactionId or challenge: the key under which it is remembered. */
export function transactionKey(transactionId: Uint8Array): string {
  return Buffer.from(transactionId).toString('hex').toUpperCase();
}

export class MutualAuthSessionTable<State extends string, Call extends string, S extends MutualAuthSession<State>> {
  private readonly sessions = new Map<string, S>();
  /** euiccChallenge (hex) → when it may be forgotten. */
  private readonly challenges = new Map<string, number>();

  constructor(
    private readonly rules: SessionRules<State, Call>,
    private readonly maxSessions: number,
    private readonly lifetimeMs: number,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** True if this euiccChallenge was already used within the session lifetime. */
  challengeSeen(euiccChallenge: Uint8Array, now: number): boolean {
    const until = this.challenges.get(transactionKey(euiccChallenge));
    return until !== undefined && until > now;
  }

  /** Opens a session; expired ones are dropped first, and a full table refuses (SessionTableFull). */
  open(session: Omit<S, 'state' | 'createdAt' | 'expiresAt'>, now: number): S {
    this.sweep(now);
    if (this.sessions.size >= this.maxSessions) throw new SessionTableFull(this.maxSessions);
    const opened = { ...session, state: this.rules.initial, createdAt: now, expiresAt: now + this.lifetimeMs } as S;
    this.sessions.set(transactionKey(session.transactionId), opened);
    this.challenges.set(transactionKey(session.euiccChallenge), now + this.lifetimeMs);
    // The challenge memory is bounded too: beyond 4× the session limit the oldest entries go first
    // (Map keeps insertion order), which only shortens how long a very old challenge is remembered.
    for (const key of this.challenges.keys()) {
      if (this.challenges.size <= 4 * this.maxSessions) break;
      this.challenges.delete(key);
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
      this.sessions.delete(key);
      return undefined;
    }
    return this.rules.calls[call].includes(session.state) ? session : undefined;
  }

  /**
   * Moves a session to state `to`, recording `fields` with it. Refuses (IllegalSessionTransition) a move
   * the rules do not list, and a session that is no longer in the table (closed or expired meanwhile).
   */
  advance(session: S, to: State, fields: Partial<Omit<S, Fixed>> = {}): S {
    const stored = this.sessions.get(transactionKey(session.transactionId));
    if (stored !== session || !this.rules.transitions[session.state].includes(to)) throw new IllegalSessionTransition(session.state, to);
    // The one place a session changes; the object keeps its identity so callers holding it see the change.
    Object.assign(session as MutualAuthSession<State>, fields, { state: to });
    return session;
  }

  /** An expired session is reported apart from an unknown one, so callers can name the cause in logs. */
  isExpired(transactionId: Uint8Array, now: number): boolean {
    const session = this.sessions.get(transactionKey(transactionId));
    return session !== undefined && session.expiresAt <= now;
  }

  close(transactionId: Uint8Array): void {
    this.sessions.delete(transactionKey(transactionId));
  }

  sweep(now: number): void {
    for (const [key, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(key);
    for (const [key, until] of this.challenges) if (until <= now) this.challenges.delete(key);
  }
}

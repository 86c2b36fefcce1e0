// The bounded table of ES9+ sessions and of euiccChallenges already seen (a memory cap under load, and the
// "one use of each challenge" rule). Pure: time comes in as arguments.
import { transactionKey, sessionCalls, type DownloadSession, type SessionCall } from './downloadSession.js';

export class SessionTableFull extends Error {
  override readonly name = 'SessionTableFull';
  constructor(readonly limit: number) {
    super(`the session table holds its maximum of ${limit} open sessions`);
  }
}

export class SessionTable {
  private readonly sessions = new Map<string, DownloadSession>();
  /** euiccChallenge (hex) → when it may be forgotten. */
  private readonly challenges = new Map<string, number>();

  constructor(
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
  open(session: Omit<DownloadSession, 'state' | 'createdAt' | 'expiresAt'>, now: number): DownloadSession {
    this.sweep(now);
    if (this.sessions.size >= this.maxSessions) throw new SessionTableFull(this.maxSessions);
    const opened: DownloadSession = { ...session, state: 'initiated', createdAt: now, expiresAt: now + this.lifetimeMs };
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
   * otherwise undefined (the caller reports 8.10.1 / 3.9).
   */
  forCall(transactionId: Uint8Array, call: SessionCall, now: number): DownloadSession | undefined {
    const key = transactionKey(transactionId);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    if (session.expiresAt <= now) {
      this.sessions.delete(key);
      return undefined;
    }
    return sessionCalls[call].includes(session.state) ? session : undefined;
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

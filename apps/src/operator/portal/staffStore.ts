// Staff accounts, sessions and the sign-in lockout of the operator portal, in the portal database.
// Lockout (OWASP Authentication Cheat Sheet, "account lockout"): after MAX_FAILURES wrong passwords an account
// is locked for LOCK_MS; failures from one source address are counted too (MAX_SOURCE_FAILURES within
// SOURCE_WINDOW_MS), so guessing across many accounts from one place is stopped as well. Sessions are random
// 32-byte ids of which only the SHA-256 is stored; each has its own CSRF token (synchroniser token pattern).
import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { hashPassword, verifyPassword } from './passwords.js';

export type StaffRole = 'admin' | 'clerk';
export const staffRoles: readonly StaffRole[] = ['admin', 'clerk'];

export const MAX_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;
export const MAX_SOURCE_FAILURES = 20;
export const SOURCE_WINDOW_MS = 15 * 60_000;
export const SESSION_MS = 8 * 60 * 60_000;
const USERNAME = /^[a-z][a-z0-9._-]{1,31}$/;

export interface Session {
  username: string;
  role: StaffRole;
  csrfToken: string;
}

export type SignInResult =
  | { ok: true; sessionId: string; session: Session }
  | { ok: false; reason: 'invalid' | 'account-locked' | 'source-locked'; lockedUntil?: number };

export class StaffError extends Error {
  override readonly name = 'StaffError';
}

const hashId = (id: string): string => createHash('sha256').update(id).digest('hex');

export class StaffStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {}

  async addStaff(username: string, role: StaffRole, password: string): Promise<void> {
    if (!USERNAME.test(username)) throw new StaffError('username: 2 to 32 characters, lowercase letters, digits, dot, dash or underscore, starting with a letter');
    if (!staffRoles.includes(role)) throw new StaffError(`role: must be one of ${staffRoles.join(', ')}`);
    const hash = await hashPassword(password).catch((error: unknown) => {
      throw new StaffError((error as Error).message);
    });
    const inserted = this.db.prepare('INSERT INTO staff (username, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(username) DO NOTHING').run(username, role, hash, this.now());
    if (inserted.changes === 0) throw new StaffError(`username: ${username} already exists`);
  }

  hasStaff(username: string): boolean {
    return this.db.prepare('SELECT 1 FROM staff WHERE username = ?').get(username) !== undefined;
  }

  async signIn(username: string, password: string, source: string): Promise<SignInResult> {
    const now = this.now();
    const sourceRow = this.db.prepare('SELECT * FROM source_failures WHERE source = ?').get(source) as { failures: number; window_start: number; locked_until: number } | undefined;
    if (sourceRow !== undefined && sourceRow.locked_until > now) return { ok: false, reason: 'source-locked', lockedUntil: sourceRow.locked_until };
    const row = this.db.prepare('SELECT role, password_hash, locked_until FROM staff WHERE username = ?').get(username) as
      | { role: StaffRole; password_hash: string; locked_until: number }
      | undefined;
    if (row !== undefined && row.locked_until > now) return { ok: false, reason: 'account-locked', lockedUntil: row.locked_until };
    // An unknown user costs a hash too, so the answer's timing does not tell which usernames exist.
    const valid = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (row === undefined || !valid) {
      this.recordFailure(username, source, now);
      return { ok: false, reason: 'invalid' };
    }
    this.db.prepare('UPDATE staff SET failed_attempts = 0 WHERE username = ?').run(username);
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
    this.db.prepare('INSERT INTO sessions (id_hash, username, csrf_token, expires_at) VALUES (?, ?, ?, ?)').run(hashId(sessionId), username, csrfToken, now + SESSION_MS);
    return { ok: true, sessionId, session: { username, role: row.role, csrfToken } };
  }

  private recordFailure(username: string, source: string, now: number): void {
    this.db.transaction(() => {
      const lockedUntil = now + LOCK_MS;
      this.db
        .prepare('UPDATE staff SET failed_attempts = failed_attempts + 1, locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END WHERE username = ?')
        .run(MAX_FAILURES, lockedUntil, username);
      this.db
        .prepare(
          `INSERT INTO source_failures (source, failures, window_start) VALUES (?, 1, ?)
           ON CONFLICT(source) DO UPDATE SET
             failures = CASE WHEN window_start <= ? THEN 1 ELSE failures + 1 END,
             window_start = CASE WHEN window_start <= ? THEN excluded.window_start ELSE window_start END`,
        )
        .run(source, now, now - SOURCE_WINDOW_MS, now - SOURCE_WINDOW_MS);
      this.db.prepare('UPDATE source_failures SET locked_until = ?, failures = 0 WHERE source = ? AND failures >= ?').run(lockedUntil, source, MAX_SOURCE_FAILURES);
      // A locked account starts counting again from zero once its lock ends.
      this.db.prepare('UPDATE staff SET failed_attempts = 0 WHERE username = ? AND locked_until = ?').run(username, lockedUntil);
    })();
  }

  session(sessionId: string | undefined): Session | undefined {
    if (sessionId === undefined || sessionId === '') return undefined;
    const row = this.db
      .prepare('SELECT s.username, s.csrf_token, st.role FROM sessions s JOIN staff st USING (username) WHERE s.id_hash = ? AND s.expires_at > ?')
      .get(hashId(sessionId), this.now()) as { username: string; csrf_token: string; role: StaffRole } | undefined;
    return row === undefined ? undefined : { username: row.username, role: row.role, csrfToken: row.csrf_token };
  }

  signOut(sessionId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashId(sessionId));
  }
}

/** A well-formed hash of a random password nobody knows, for unknown usernames. */
const DUMMY_HASH = await hashPassword(randomBytes(18).toString('base64url'));

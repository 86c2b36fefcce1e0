// The ES9+ download sessions in PostgreSQL (core/downloadSession.ts, DownloadSessionStore), shared by every
// process on the database, so a plain round-robin in front of several processes or machines serves one
// download across them. The rules are the in-memory table's (rsp-server's MutualAuthSessionTable), made
// atomic in the database:
// - one use of each euiccChallenge (SGP.22 §3.1.2): `challengeSeen` records it with INSERT … ON CONFLICT, so of
//   concurrent uses exactly one finds it unseen;
// - a session changes by compare-and-set on its version: of two processes advancing one session, one wins and
//   the other gets IllegalSessionTransition (as a replayed call does in memory);
// - the unauthenticated limits (per source, table full) evict the oldest initial-state sessions.
// A session holds no key (otSK.DP.ECKA lives only inside getBoundProfilePackage): its row is public data of the
// download (challenges, signatures, the eUICC certificate and public key, metadata).
import type pg from 'pg';
import { createPublicKey, KeyObject } from 'node:crypto';
import {
  IllegalSessionTransition, SessionTableFull, pgStatement, transactionKey, type OpenedAuthSession, type PgCommitTail, type SessionEviction,
} from '@zkesim/rsp-server';
import { PgTransaction } from './pgTransaction.js';
import {
  downloadSessionRules, type CallTransaction, type DownloadSession, type DownloadSessionStore, type SessionCall, type SessionLimits, type SessionState,
} from '../../core/downloadSession.js';
import { SessionKeys } from './sessionKeys.js';

/** The eUICC keys of the sessions this process wrote or read (an optimisation only: sessionKeys.ts). */
const sessionKeys = new SessionKeys();

interface SessionRow {
  transaction_id: string;
  state: string;
  data: Record<string, unknown>;
  created_at: number;
  expires_at: number;
  version: number;
}

/** Fields kept in `data`: bytes as {hex}, the eUICC public key as {spki} (its SubjectPublicKeyInfo DER, hex). */
const spkiHex = (key: KeyObject): string => key.export({ type: 'spki', format: 'der' }).toString('hex');
const keyOfSpkiHex = (spki: string): KeyObject => createPublicKey({ key: Buffer.from(spki, 'hex'), format: 'der', type: 'spki' });

function encode(session: Partial<DownloadSession>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(session)) {
    if (key === 'state' || key === 'createdAt' || key === 'expiresAt' || value === undefined) continue;
    if (value instanceof KeyObject) {
      const transactionId = session.transactionId;
      data[key] = { spki: transactionId === undefined ? spkiHex(value) : sessionKeys.spkiOf(transactionKey(transactionId), value, spkiHex) };
    }
    else data[key] = value instanceof Uint8Array ? { hex: Buffer.from(value).toString('hex') } : value;
  }
  return data;
}

function decode(row: SessionRow): DownloadSession {
  // The remembered key only when the row holds the very SPKI this process wrote or read for the session.
  const keyOf = (spki: string): KeyObject => sessionKeys.keyOf(row.transaction_id, spki, keyOfSpkiHex);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row.data)) {
    if (typeof value === 'object' && value !== null && 'hex' in value) fields[key] = new Uint8Array(Buffer.from(String(value.hex), 'hex'));
    else if (typeof value === 'object' && value !== null && 'spki' in value) fields[key] = keyOf(String(value.spki));
    else fields[key] = value;
  }
  return { ...fields, state: row.state, createdAt: row.created_at, expiresAt: row.expires_at } as unknown as DownloadSession;
}

/** Counts shared by the views of one store (forSource), refreshed by `sweep`. */
interface Counts {
  size: number;
  unauthenticatedSize: number;
}

/** SQLSTATE 22012, division_by_zero: how a compare-and-set sent with a COMMIT says it lost (advanceIn). */
const divisionByZero = '22012';

/** The statements sent with the COMMIT of a PostgreSQL transaction of this repository. */
function tailOf(tx: CallTransaction): PgCommitTail {
  const tail = tx instanceof PgTransaction ? tx.commitTail : undefined;
  if (tail === undefined) throw new Error('a PostgreSQL session write needs a transaction of the same PostgreSQL repository');
  return tail;
}

/**
 * The promise, its rejection marked handled: the transaction fails with the same error, so a caller that awaits
 * only the transaction (or stops at an earlier failure of it) leaves no unhandled rejection behind.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export class PgSessionStore implements DownloadSessionStore {
  /** The version each loaded session had, for the compare-and-set of `advance`. */
  private readonly versions: WeakMap<DownloadSession, number>;
  private readonly unauthenticatedLifetimeMs: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly limits: SessionLimits,
    private readonly source = 'unknown',
    private readonly counts: Counts = { size: 0, unauthenticatedSize: 0 },
    versions?: WeakMap<DownloadSession, number>,
  ) {
    this.versions = versions ?? new WeakMap();
    this.unauthenticatedLifetimeMs = Math.min(limits.unauthenticated.lifetimeMs ?? limits.lifetimeMs, limits.lifetimeMs);
  }

  /** Every statement of the store is a named prepared one (rsp-server pgStatement). */
  private query<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<T>> {
    return this.pool.query<T>(pgStatement(text, values));
  }

  get size(): number {
    return this.counts.size;
  }

  get unauthenticatedSize(): number {
    return this.counts.unauthenticatedSize;
  }

  forSource(source: string): PgSessionStore {
    return new PgSessionStore(this.pool, this.limits, source, this.counts, this.versions);
  }

  /** Records the challenge for the session lifetime; true when it was already recorded and not yet forgotten. */
  async challengeSeen(euiccChallenge: Uint8Array, now: number): Promise<boolean> {
    const claimed = await this.query(
      `INSERT INTO used_challenges (challenge, until) VALUES ($1, $2)
       ON CONFLICT (challenge) DO UPDATE SET until = excluded.until WHERE used_challenges.until <= $3 RETURNING 1`,
      [transactionKey(euiccChallenge), now + this.limits.lifetimeMs, now],
    );
    return claimed.rowCount !== 1;
  }

  /**
   * One statement in the usual case: the source's oldest unauthenticated sessions beyond its limit go, the new
   * one is written, and the live sessions are counted (as before the statement: its parts share one
   * snapshot). Only a full table costs more: its oldest unauthenticated session goes, or, if there is none,
   * the new one and SessionTableFull.
   */
  async open(session: OpenedAuthSession, now: number): Promise<DownloadSession> {
    return (await this.write(session, now)) as DownloadSession;
  }

  /**
   * `challengeSeen` and `open` in one statement (InitiateAuthentication's one round trip): the session is
   * written only if this statement is the one that recorded the euiccChallenge; undefined when it was seen.
   */
  openUnseen(session: OpenedAuthSession, now: number): Promise<DownloadSession | undefined> {
    return this.write(session, now, session.euiccChallenge);
  }

  private async write(session: OpenedAuthSession, now: number, challenge?: Uint8Array): Promise<DownloadSession | undefined> {
    const maxPerSource = this.limits.unauthenticated.maxPerSource ?? Infinity;
    const key = transactionKey(session.transactionId);
    const opened = { ...session, state: downloadSessionRules.initial, createdAt: now, expiresAt: now + this.unauthenticatedLifetimeMs } as DownloadSession;
    // With a challenge, every part runs only if `claimed` recorded it (INSERT … ON CONFLICT: of concurrent
    // statements with one challenge, one claims it and the others find it recorded).
    const claim = challenge !== undefined;
    const onlyIfClaimed = claim ? 'AND EXISTS (SELECT 1 FROM claimed)' : '';
    const { rows } = await this.query<{ claimed: number; evicted: number; live: number }>(
      `WITH ${claim ? `claimed AS (
         INSERT INTO used_challenges (challenge, until) VALUES ($8, $9)
         ON CONFLICT (challenge) DO UPDATE SET until = excluded.until WHERE used_challenges.until <= $3::bigint RETURNING 1),
       ` : ''}evicted AS (
         DELETE FROM download_sessions WHERE transaction_id IN (
           SELECT transaction_id FROM download_sessions WHERE source = $1 AND state = $2 AND expires_at > $3 AND transaction_id <> $5
           ORDER BY created_at DESC OFFSET $4) ${onlyIfClaimed}
         RETURNING 1),
       written AS (
         INSERT INTO download_sessions (transaction_id, state, data, source, created_at, expires_at)
         SELECT $5::text, $2::text, $6::jsonb, $1::text, $3::bigint, $7::bigint WHERE TRUE ${onlyIfClaimed}
         ON CONFLICT (transaction_id) DO UPDATE SET state = excluded.state, data = excluded.data, source = excluded.source,
           created_at = excluded.created_at, expires_at = excluded.expires_at, version = download_sessions.version + 1
         RETURNING 1)
       SELECT ${claim ? '(SELECT count(*) FROM claimed)' : '1'} AS claimed, (SELECT count(*) FROM evicted) AS evicted,
         (SELECT count(*) FROM written) AS written,
         (SELECT count(*) FROM download_sessions WHERE expires_at > $3 AND transaction_id <> $5) AS live`,
      [
        this.source, downloadSessionRules.initial, now, Number.isFinite(maxPerSource) ? Math.max(0, maxPerSource - 1) : 2_147_483_647, key, encode(opened), opened.expiresAt,
        ...(claim ? [transactionKey(challenge), now + this.limits.lifetimeMs] : []),
      ],
    );
    if (Number(rows[0]?.claimed ?? 0) !== 1) return undefined;
    const evicted = Number(rows[0]?.evicted ?? 0);
    this.evicted(evicted, 'source-limit');
    if (Number(rows[0]?.live ?? 0) - evicted >= this.limits.maxSessions) {
      const full = await this.query(
        `DELETE FROM download_sessions WHERE transaction_id = (
           SELECT transaction_id FROM download_sessions WHERE state = $1 AND transaction_id <> $2 ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)`,
        [downloadSessionRules.initial, key],
      );
      if (full.rowCount !== 1) {
        await this.query('DELETE FROM download_sessions WHERE transaction_id = $1', [key]);
        throw new SessionTableFull(this.limits.maxSessions);
      }
      this.evicted(1, 'table-full');
    }
    return opened;
  }

  private evicted(count: number, reason: SessionEviction): void {
    for (let i = 0; i < count; i += 1) this.limits.unauthenticated.onEvict?.(reason);
  }

  async forCall(transactionId: Uint8Array, call: SessionCall, now: number): Promise<DownloadSession | undefined> {
    const { rows } = await this.query<SessionRow>('SELECT * FROM download_sessions WHERE transaction_id = $1', [transactionKey(transactionId)]);
    const row = rows[0];
    if (row === undefined) return undefined;
    if (row.expires_at <= now) {
      await this.close(transactionId);
      return undefined;
    }
    if (!(downloadSessionRules.calls[call] as readonly string[]).includes(row.state)) return undefined;
    const session = decode(row);
    this.versions.set(session, row.version);
    return session;
  }

  async isExpired(transactionId: Uint8Array, now: number): Promise<boolean> {
    const { rows } = await this.query<{ expires_at: number }>('SELECT expires_at FROM download_sessions WHERE transaction_id = $1', [transactionKey(transactionId)]);
    return rows[0] !== undefined && rows[0].expires_at <= now;
  }

  /** Compare-and-set on the version the session was loaded with; leaving the initial state authenticates it. */
  async advance(session: DownloadSession, to: SessionState, fields: Partial<DownloadSession> = {}): Promise<DownloadSession> {
    const change = this.change(session, to, fields);
    const changed = await this.query('UPDATE download_sessions SET state = $2, data = $3, expires_at = $4, version = version + 1 WHERE transaction_id = $1 AND version = $5', change.values);
    if (changed.rowCount !== 1) throw new IllegalSessionTransition(session.state, to);
    return change.apply();
  }

  /**
   * `advance` in the call's transaction, sent with its COMMIT (PgCommitTail: one round trip for both). The
   * statement fails when the compare-and-set finds the session moved (1 / 0 rows changed: division by zero),
   * which rolls the whole transaction back: the call's changes and the session's are made together or not at all.
   */
  advanceIn(tx: CallTransaction, session: DownloadSession, to: SessionState, fields: Partial<DownloadSession> = {}): Promise<DownloadSession> {
    const change = this.change(session, to, fields);
    const statement = pgStatement(
      `WITH changed AS (
         UPDATE download_sessions SET state = $2, data = $3, expires_at = $4, version = version + 1 WHERE transaction_id = $1 AND version = $5 RETURNING 1)
       SELECT 1 / count(*)::int AS changed FROM changed`,
      change.values,
    );
    const moved = (error: unknown): unknown => ((error as { code?: unknown }).code === divisionByZero ? new IllegalSessionTransition(session.state, to) : error);
    return handled(tailOf(tx).send(statement, moved).then(() => change.apply()));
  }

  /** `close` in the call's transaction, sent with its COMMIT. */
  closeIn(tx: CallTransaction, transactionId: Uint8Array): Promise<void> {
    const key = transactionKey(transactionId);
    return handled(tailOf(tx).send(pgStatement('DELETE FROM download_sessions WHERE transaction_id = $1', [key])).then(() => sessionKeys.forget(key)));
  }

  /** The values of a compare-and-set from the loaded version, and what to do to the caller's object once it is made. */
  private change(session: DownloadSession, to: SessionState, fields: Partial<DownloadSession>): { values: unknown[]; apply(): DownloadSession } {
    const version = this.versions.get(session);
    if (version === undefined || !downloadSessionRules.transitions[session.state].includes(to)) throw new IllegalSessionTransition(session.state, to);
    const authenticated = session.state === downloadSessionRules.initial && to !== downloadSessionRules.initial;
    const expiresAt = authenticated ? session.createdAt + this.limits.lifetimeMs : session.expiresAt;
    const next = { ...session, ...fields, state: to, expiresAt };
    return {
      values: [transactionKey(session.transactionId), to, encode(next), expiresAt, version],
      apply: () => {
        // As in memory, the caller's object follows the change.
        Object.assign(session as { state: SessionState }, fields, { state: to, expiresAt });
        this.versions.set(session, version + 1);
        return session;
      },
    };
  }

  async close(transactionId: Uint8Array): Promise<void> {
    sessionKeys.forget(transactionKey(transactionId));
    await this.query('DELETE FROM download_sessions WHERE transaction_id = $1', [transactionKey(transactionId)]);
  }

  async sweep(now: number): Promise<void> {
    await this.query('DELETE FROM download_sessions WHERE expires_at <= $1', [now]);
    await this.query('DELETE FROM used_challenges WHERE until <= $1', [now]);
    const { rows } = await this.query<{ n: number; initial: number }>(
      'SELECT count(*) AS n, count(*) FILTER (WHERE state = $1) AS initial FROM download_sessions',
      [downloadSessionRules.initial],
    );
    this.counts.size = Number(rows[0]?.n ?? 0);
    this.counts.unauthenticatedSize = Number(rows[0]?.initial ?? 0);
  }
}

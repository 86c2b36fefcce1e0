// ES9+ download sessions (SGP.22 v2.2.2 §3.1.3, §5.6): what the SM-DP+ remembers between the calls of
// one download, keyed by transactionId, and the order in which the calls may come, as a table.
//
// Sessions are kept in memory, bounded in number and lifetime (SessionTable), or, when the store is shared by
// several processes (PostgreSQL), in the store (DownloadSessionStore), so that any process serves any call of a
// download. They hold nothing that must survive a restart and no key: otSK.DP.ECKA lives only inside one call. The order and its binding are in the repository, so after a restart the installation
// result and a CancelSession of the bound transaction are still accepted, and an LPA that lost its session
// starts a new one with a new euiccChallenge (a retry of the bound order, §3.1.3).
import type { KeyObject } from 'node:crypto';
import type { EidDigits } from '@zkesim/protocol';
import {
  MutualAuthSessionTable, type ChallengeSessions, type MutualAuthSession, type OpenedAuthSession, type SessionRules, type UnauthenticatedLimits,
} from '@zkesim/rsp-server';

export const sessionStates = ['initiated', 'authenticated', 'bound'] as const;
export type SessionState = (typeof sessionStates)[number];
export type SessionCall = 'authenticateClient' | 'getBoundProfilePackage' | 'handleNotification' | 'cancelSession';

/**
 * Which ES9+ call a session accepts in which state. Anything else is refused as an unknown
 * transaction (8.10.1 / 3.9), so a replayed AuthenticateClient or GetBoundProfilePackage never runs twice.
 */
const sessionCalls: { readonly [C in SessionCall]: readonly SessionState[] } = {
  authenticateClient: ['initiated'],
  // SPEC-AMBIGUITY: after a wrong confirmation code the LPA may run PrepareDownload again and retry
  // GetBoundProfilePackage on the same session until the retry limit (§5.6.2); so 'authenticated' stays.
  getBoundProfilePackage: ['authenticated'],
  handleNotification: ['bound'],
  cancelSession: ['initiated', 'authenticated', 'bound'],
};

/** initiated → authenticated (AuthenticateClient) → bound (GetBoundProfilePackage); nothing goes back. */
export const downloadSessionRules: SessionRules<SessionState, SessionCall> = {
  initial: 'initiated',
  calls: sessionCalls,
  // authenticated → authenticated records a refused confirmation code without a state change.
  transitions: { initiated: ['authenticated'], authenticated: ['authenticated', 'bound'], bound: [] },
};

export interface DownloadSession extends MutualAuthSession<SessionState> {
  readonly serverChallenge: Uint8Array;
  /** Index of the credential set chosen by the CI the eUICC named (config.credentials). */
  readonly credentialIndex: number;
  // Set by AuthenticateClient:
  readonly eid?: EidDigits;
  readonly euiccPublicKey?: KeyObject;
  /** DER of CERT.EUICC.ECDSA, kept with the order at binding so the result can be verified after a restart. */
  readonly euiccCertificate?: Uint8Array;
  readonly euiccSignature1?: Uint8Array;
  readonly smdpSignature2?: Uint8Array;
  readonly orderId?: number;
  readonly ccRequired?: boolean;
  /** The StoreMetadataRequest sent as profileMetadata; the BPP carries the same bytes (§5.6.2). */
  readonly profileMetadata?: Uint8Array;
  /**
   * A retry (§3.1.3): the otPK.EUICC.ECKA of the order's earlier binding, sent as bppEuiccOtpk in
   * smdpSigned2 so that an eUICC that still holds its otSK.EUICC.ECKA reuses it and the bound package with it.
   */
  readonly bppEuiccOtpk?: Uint8Array;
  /** Set when this SM-DP+ refused a confirmation code in this session (8.2.7 / 3.8). */
  readonly confirmationCodeRefused?: boolean;
}

/** The ES9+ download sessions of one SM-DP+ process (bounded in number and lifetime). */
export class SessionTable extends MutualAuthSessionTable<SessionState, SessionCall, DownloadSession> {
  constructor(maxSessions: number, lifetimeMs: number, unauthenticated: UnauthenticatedLimits = {}) {
    super(downloadSessionRules, maxSessions, lifetimeMs, unauthenticated);
  }
}

/**
 * What the ES9+ handlers use of the sessions: the in-memory SessionTable answers at once, a store shared by
 * processes (storage/postgres/pgSessions.ts) asynchronously. Its rules are the same: `challengeSeen` is
 * atomic with recording the challenge there, `advance` is a compare-and-set (of two processes moving one
 * session, one gets IllegalSessionTransition).
 */
export interface DownloadSessionStore extends ChallengeSessions {
  open(session: OpenedAuthSession, now: number): DownloadSession | Promise<DownloadSession>;
  forCall(transactionId: Uint8Array, call: SessionCall, now: number): DownloadSession | undefined | Promise<DownloadSession | undefined>;
  isExpired(transactionId: Uint8Array, now: number): boolean | Promise<boolean>;
  advance(session: DownloadSession, to: SessionState, fields?: Partial<DownloadSession>): DownloadSession | Promise<DownloadSession>;
  close(transactionId: Uint8Array): void | Promise<void>;
  /**
   * Optional (a store in the database, PostgreSQL): `advance` made in the call's transaction `tx` and sent with
   * its COMMIT, so that the call's changes and the session's are made together or not at all (a session that
   * moved meanwhile fails the transaction with IllegalSessionTransition). The promise settles before the
   * transaction does; awaiting the transaction is enough. Without it, the handlers advance after the commit.
   */
  advanceIn?(tx: CallTransaction, session: DownloadSession, to: SessionState, fields?: Partial<DownloadSession>): Promise<DownloadSession>;
  /** Optional, as advanceIn: `close` in the call's transaction. */
  closeIn?(tx: CallTransaction, transactionId: Uint8Array): Promise<void>;
  /** This store as seen by one source (the key of the client's address) for the unauthenticated limits. */
  forSource(source: string): DownloadSessionStore;
  sweep(now: number): void | Promise<void>;
  /** Open sessions and those still unauthenticated (for the gauges; a shared store's counts as of its last sweep). */
  readonly size: number;
  readonly unauthenticatedSize: number;
}

/**
 * The call's transaction as the session store sees it: an SmdpTransaction (core/repository.ts, which imports this
 * module), of the same repository as the store, which checks that it is.
 */
export type CallTransaction = object;

/** The limits of a session store (configuration `limits` and `unauthenticatedSessions`). */
export interface SessionLimits {
  maxSessions: number;
  lifetimeMs: number;
  unauthenticated: UnauthenticatedLimits;
}

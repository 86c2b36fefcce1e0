// What the ES11 functions work with: the SM-DS's DSauth credentials, the CRLs, its session table and the
// event store. The sessions are rsp-server's MutualAuthSessionTable: InitiateAuthentication opens one, and
// AuthenticateClient, the only call that may follow (§3.6.2), ends it whatever its outcome.
import type { PkiEntity, RspCertificate, RspCrl } from '@zkesim/pki';
import { MutualAuthSessionTable, type CertificateCache, type MutualAuthSession, type SessionRules } from '@zkesim/rsp-server';
import type { SmdsDeps } from '../core/deps.js';

/** One ES11 signing credential: CERT.DSauth and the CI it chains to (chosen by the CIs the eUICC names). */
export interface SmdsCredential {
  ci: RspCertificate;
  ciKeyId: Uint8Array;
  dsAuth: PkiEntity;
}

export type Es11SessionState = 'initiated';
export type Es11Call = 'authenticateClient';

export interface Es11Session extends MutualAuthSession<Es11SessionState> {
  readonly serverChallenge: Uint8Array;
  readonly credentialIndex: number;
}

const es11SessionRules: SessionRules<Es11SessionState, Es11Call> = {
  initial: 'initiated',
  calls: { authenticateClient: ['initiated'] },
  transitions: { initiated: [] },
};

export class Es11SessionTable extends MutualAuthSessionTable<Es11SessionState, Es11Call, Es11Session> {
  /** Every ES11 session is unauthenticated until its AuthenticateClient ends it: `perSource` bounds them per address. */
  constructor(maxSessions: number, lifetimeMs: number, perSource: number) {
    super(es11SessionRules, maxSessions, lifetimeMs, { lifetimeMs, maxPerSource: perSource });
  }
}

export interface Es11Context {
  deps: SmdsDeps;
  /** This SM-DS's address, compared with the one the LPA used and the one the eUICC signed. */
  address: string;
  credentials: readonly SmdsCredential[];
  crls: readonly RspCrl[];
  eumCertificates: CertificateCache;
  sessions: Es11SessionTable;
}

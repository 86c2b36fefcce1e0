// The volatile RSP session of the ISD-R (SGP.22 §3.1.3 common mutual authentication, §3.1.3.x download).
// As in h11's _state.py, everything that moves the session lives here, and the allowed transitions are a
// table: a call in the wrong state fails with SessionStateError, never silently.
import type { KeyObject } from 'node:crypto';
import type { CurveName } from '@zkesim/protocol';
import type { InstallProgress } from './installation.js';

export type SessionPhase = 'idle' | 'challengeIssued' | 'authenticated' | 'downloadPrepared' | 'installing';

export type SessionEvent = 'getEuiccChallenge' | 'authenticateServer' | 'prepareDownload' | 'loadBoundProfilePackage' | 'cancelSession';

/**
 * Allowed events per phase. GetEUICCChallenge always starts over (SGP.22 §5.7.7: a new challenge replaces the
 * session). CancelSession is allowed from AuthenticateServer until the BPP is loaded (SGP.22 §3.0.2).
 */
const TRANSITIONS: Readonly<Record<SessionPhase, readonly SessionEvent[]>> = {
  idle: ['getEuiccChallenge'],
  challengeIssued: ['getEuiccChallenge', 'authenticateServer'],
  authenticated: ['getEuiccChallenge', 'prepareDownload', 'cancelSession'],
  downloadPrepared: ['getEuiccChallenge', 'prepareDownload', 'loadBoundProfilePackage', 'cancelSession'],
  installing: ['getEuiccChallenge', 'loadBoundProfilePackage', 'cancelSession'],
};

export class SessionStateError extends Error {
  override readonly name = 'SessionStateError';
  constructor(
    readonly phase: SessionPhase,
    readonly event: SessionEvent,
  ) {
    super(`${event} is not allowed in session phase ${phase}`);
  }
}

/** What AuthenticateServer learnt about the RSP server (SGP.22 §5.7.13). */
export interface AuthenticatedServer {
  readonly transactionId: Uint8Array;
  readonly serverAddress: string;
  /** SM-DP+ OID from CERT.DPauth.ECDSA (SAN registeredID), used in CancelSession and the PIR. */
  readonly smdpOid: string | undefined;
  /** Index into EuiccState.credentials of the chain chosen by euiccCiPKIdToBeUsed. */
  readonly credentialIndex: number;
  readonly ciPKId: Uint8Array;
  /** euiccSignature1 as sent (64 bytes r||s), needed for the smdpSignature2 TBS. */
  readonly euiccSignature1: Uint8Array;
  readonly matchingId: string | undefined;
}

/** What PrepareDownload established (SGP.22 §5.7.5). */
export interface PreparedDownload {
  /** Curve of CERT.DPpb, on which the one-time keys live. */
  readonly curve: CurveName;
  readonly dpPbPublicKey: KeyObject;
  readonly smdpOid: string | undefined;
  readonly otSKEuicc: KeyObject;
  readonly otPKEuicc: Uint8Array;
  readonly ccRequired: boolean;
  readonly hashCc: Uint8Array | undefined;
}

export interface SessionData {
  euiccChallenge?: Uint8Array;
  server?: AuthenticatedServer;
  download?: PreparedDownload;
  install?: InstallProgress;
}

/** A one-time key pair otPK/otSK.EUICC.ECKA made by PrepareDownload. */
export interface OneTimeKey {
  readonly otPKEuicc: Uint8Array;
  readonly otSKEuicc: KeyObject;
}

export class RspSession {
  private current: SessionPhase = 'idle';
  data: SessionData = {};
  /**
   * The one-time key of the last PrepareDownload, kept when the session ends (SGP.22 v2.2.2 §5.7.5): a later
   * session whose smdpSigned2 carries it as bppEuiccOtpk (a download retry) reuses it, so the SM-DP+ can send
   * the package it already bound. Replaced by the next PrepareDownload, dropped once a profile is installed.
   */
  oneTimeKey: OneTimeKey | undefined;

  get phase(): SessionPhase {
    return this.current;
  }

  /** Checks that `event` is allowed now; throws SessionStateError otherwise. */
  require(event: SessionEvent): void {
    if (!TRANSITIONS[this.current].includes(event)) throw new SessionStateError(this.current, event);
  }

  isAllowed(event: SessionEvent): boolean {
    return TRANSITIONS[this.current].includes(event);
  }

  moveTo(phase: SessionPhase): void {
    this.current = phase;
  }

  /** Ends the session (after an install, a cancel, an error, or a card reset). */
  clear(): void {
    this.current = 'idle';
    this.data = {};
  }
}

// The server side of common mutual authentication (SGP.22 v2.2.2 §3.0.1) that an SM-DP+ (ES9+, §5.6.1 and
// §5.6.3) and an SM-DS (ES11, §5.8.1 and §5.8.2) both run: InitiateAuthentication's checks, choice of the
// credential by CI and serverSigned1, and AuthenticateClient's authentication of the eUICC (chain,
// euiccSignature1 over the received bytes, the session's transactionId, serverChallenge and address).
// The two functions differ only in the status codes of InitiateAuthentication (8.8.x for an SM-DP+, 8.9.x
// for an SM-DS), which each server passes in, and in what follows the authentication (an order, events).
import type { CertifiedSigner, RspCertificate, RspCrl } from '@zkesim/pki';
import {
  Codes, EuiccSignatureInvalid, RspError, ServerChallengeMismatch, ServerSigned1, TransactionIdUnknown, bytesEqual, derOf, verifyRaw,
  type AuthenticateServerResponse, type EUICCInfo1, type EuiccSigned1, type RandomSource, type StatusCode,
} from '@zkesim/protocol';
import { SessionTableFull } from '../session/mutualAuthSessions.js';
import type { CertificateCache } from './certificateCache.js';
import { verifyEuiccChain, type VerifiedEuicc } from './euiccChain.js';

/** One signing credential of the server: CERT.DPauth or CERT.DSauth and the CI it chains to. */
export interface AuthCredential {
  /** SubjectKeyIdentifier of the CI: the CI public key id in euiccCiPKIdList*. */
  ciKeyId: Uint8Array;
  /** Signs serverSigned1; a key file's or a PKCS#11 token's Signer. */
  auth: CertifiedSigner;
}

/** The InitiateAuthentication codes of one server role (§5.6.1 for the SM-DP+, §5.8.1 for the SM-DS). */
export interface InitiateAuthenticationCodes {
  addressInvalid: StatusCode;
  svnUnsupported: StatusCode;
  /** No configured CI in either of the eUICC's lists. */
  ciUnsupported: StatusCode;
  /** A configured CI in only one of them. */
  certificateUnavailable: StatusCode;
}

export const smdpInitiateAuthenticationCodes: InitiateAuthenticationCodes = {
  addressInvalid: Codes.smdpAddressInvalid,
  svnUnsupported: Codes.svnUnsupported,
  ciUnsupported: Codes.ciPublicKeyUnsupported,
  certificateUnavailable: Codes.smdpCertificateUnavailable,
};

export const smdsInitiateAuthenticationCodes: InitiateAuthenticationCodes = {
  addressInvalid: Codes.smdsAddressInvalid,
  svnUnsupported: Codes.smdsSvnUnsupported,
  ciUnsupported: Codes.smdsCiPublicKeyUnsupported,
  certificateUnavailable: Codes.smdsCertificateUnavailable,
};

/** What InitiateAuthentication opens: a server's session type has at least these fields. */
export interface OpenedAuthSession {
  transactionId: Uint8Array;
  euiccChallenge: Uint8Array;
  serverChallenge: Uint8Array;
  /** Index of the credential chosen by the CI the eUICC named. */
  credentialIndex: number;
}

/**
 * The part of a MutualAuthSessionTable that InitiateAuthentication uses. A store shared by several processes
 * answers asynchronously; its `challengeSeen` records the challenge in the same atomic write, so of concurrent
 * uses of one challenge exactly one is unseen.
 */
export interface ChallengeSessions {
  challengeSeen(euiccChallenge: Uint8Array, now: number): boolean | Promise<boolean>;
  open(session: OpenedAuthSession, now: number): unknown;
  /**
   * Optional: `challengeSeen` and `open` in one atomic write (a store in a database: one round trip). Opens the
   * session only if its euiccChallenge was unseen, and then records it; resolves to undefined when it was seen.
   */
  openUnseen?(session: OpenedAuthSession, now: number): Promise<unknown>;
}

export interface InitiateAuthenticationRequest {
  euiccChallenge: Uint8Array;
  euiccInfo1: EUICCInfo1;
  /** The address the LPA called (the JSON field is named smdpAddress for ES11 too). */
  serverAddress: string;
}

export interface ServerAuthentication {
  /** The server's own address (FQDN, optionally :port). */
  address: string;
  credentials: readonly AuthCredential[];
  codes: InitiateAuthenticationCodes;
  sessions: ChallengeSessions;
  random: RandomSource;
  now: number;
}

export interface InitiateAuthenticationResult {
  transactionId: Uint8Array;
  serverSigned1: Uint8Array;
  /** Raw r‖s; the binding wraps it in the `5F37 40` DO. */
  serverSignature1: Uint8Array;
  /** The CI's SubjectKeyIdentifier (20 bytes); JSON carries it as the `04 14` TLV. */
  euiccCiPKIdToBeUsed: Uint8Array;
  serverCertificate: Uint8Array;
  credentialIndex: number;
}

/** SGP.22 v2.x: the servers serve eUICCs of major version 2. */
const supportedSvnMajor = 2;

/** §5.6.1 / §5.8.1: checks the request, opens a session and signs serverSigned1 with the chosen credential. */
export async function initiateMutualAuthentication(server: ServerAuthentication, request: InitiateAuthenticationRequest): Promise<InitiateAuthenticationResult> {
  if (request.euiccChallenge.length !== 16) {
    throw new RspError(Codes.invalidRequestField, 'euiccChallenge: must be 16 bytes', { subjectIdentifier: 'euiccChallenge' });
  }
  // The address the LPA used must be ours; FQDNs compare case-insensitively (RFC 4343).
  if (request.serverAddress.toLowerCase() !== server.address.toLowerCase()) {
    throw new RspError(server.codes.addressInvalid, undefined, { subjectIdentifier: 'smdpAddress' });
  }
  if (request.euiccInfo1.svn[0] !== supportedSvnMajor) {
    throw new RspError(server.codes.svnUnsupported, undefined, { subjectIdentifier: 'euiccInfo1' });
  }
  const credentialIndex = chooseCredential(server.credentials, request.euiccInfo1, server.codes);
  const credential = server.credentials[credentialIndex] as AuthCredential;
  // One use of each euiccChallenge. SPEC-AMBIGUITY: SGP.22 gives no code for a repeated challenge; a
  // replay is a failed check of the eUICC's freshness, so we answer 8.1 / 6.1.
  const { sessions } = server;
  const replayed = () => new RspError(Codes.euiccVerificationFailed, 'euiccChallenge was already used', { subjectIdentifier: 'euiccChallenge' });
  if (sessions.openUnseen === undefined && (await sessions.challengeSeen(request.euiccChallenge, server.now))) throw replayed();
  const transactionId = server.random.bytes(16);
  const serverChallenge = server.random.bytes(16);
  const session = { transactionId, euiccChallenge: request.euiccChallenge, serverChallenge, credentialIndex };
  try {
    if (sessions.openUnseen === undefined) await sessions.open(session, server.now);
    else if ((await sessions.openUnseen(session, server.now)) === undefined) throw replayed();
  } catch (error) {
    if (error instanceof SessionTableFull) throw new RspError(Codes.functionExecutionError, error.message, { cause: error });
    throw error;
  }
  const serverSigned1 = ServerSigned1.encode({ transactionId, euiccChallenge: request.euiccChallenge, serverAddress: server.address, serverChallenge });
  return {
    transactionId,
    serverSigned1,
    serverSignature1: credential.auth.signer.sign(serverSigned1),
    euiccCiPKIdToBeUsed: credential.ciKeyId,
    serverCertificate: credential.auth.certificate.der,
    credentialIndex,
  };
}

/**
 * The CI public key must be one the eUICC verifies with (euiccCiPKIdListForVerification, it checks
 * CERT.XXauth with it) and one it signs under (…ForSigning, we check its chain with it).
 * SPEC-AMBIGUITY: we report `ciUnsupported` (8.8.2 / 8.9.2, 3.1) when no configured CI appears in either
 * list and `certificateUnavailable` (8.8.4 / 8.9.4, 3.7) when one appears in only one of them.
 */
export function chooseCredential(credentials: readonly Pick<AuthCredential, 'ciKeyId'>[], info: EUICCInfo1, codes: InitiateAuthenticationCodes): number {
  const has = (list: readonly Uint8Array[], id: Uint8Array): boolean => list.some((entry) => Buffer.from(entry).equals(id));
  let partial = false;
  for (const [index, credential] of credentials.entries()) {
    const forVerification = has(info.euiccCiPKIdListForVerification, credential.ciKeyId);
    const forSigning = has(info.euiccCiPKIdListForSigning, credential.ciKeyId);
    if (forVerification && forSigning) return index;
    partial ||= forVerification || forSigning;
  }
  throw new RspError(partial ? codes.certificateUnavailable : codes.ciUnsupported, undefined, { subjectIdentifier: 'euiccInfo1' });
}

export interface EuiccAuthenticationInput {
  authenticateServerResponse: AuthenticateServerResponse;
  /** The session InitiateAuthentication opened. */
  session: Pick<OpenedAuthSession, 'transactionId' | 'serverChallenge'>;
  /** The server's own address, which euiccSigned1 must carry. */
  serverAddress: string;
  /** Names the server in the error of a wrong serverAddress ('SM-DP+', 'SM-DS'). */
  serverName: string;
  /** The CI of the session's credential: the eUICC's chain must end there. */
  ci: RspCertificate;
  crls: readonly RspCrl[];
  eumCertificates: CertificateCache;
  now: number;
}

export interface AuthenticatedEuicc extends VerifiedEuicc {
  euiccSigned1: EuiccSigned1;
  /** Raw r‖s of euiccSignature1, as received. */
  euiccSignature1: Uint8Array;
}

/**
 * §5.6.3 / §5.8.2: the eUICC → EUM → CI chain, euiccSignature1 verified over the exact bytes received (a
 * re-encoding can lose a real card's non-minimal lengths or extensions), and euiccSigned1 echoing this
 * session's transactionId, serverChallenge and the server's address.
 */
export function authenticateEuicc(input: EuiccAuthenticationInput): AuthenticatedEuicc {
  const response = input.authenticateServerResponse;
  if ('authenticateResponseError' in response) {
    // SPEC-AMBIGUITY: the eUICC refused AuthenticateServer; SGP.22 names no server code, we use 8.1 / 6.1.
    const code = response.authenticateResponseError.authenticateErrorCode;
    throw new RspError(Codes.euiccVerificationFailed, `eUICC reported authenticateErrorCode ${code}`);
  }
  const ok = response.authenticateResponseOk;
  const verified = verifyEuiccChain({
    euiccCertificate: derOf(ok.euiccCertificate),
    eumCertificate: derOf(ok.eumCertificate),
    ci: input.ci,
    crls: input.crls,
    eumCertificates: input.eumCertificates,
    now: input.now,
  });
  if (!verifyRaw(verified.euicc.publicKey, derOf(ok.euiccSigned1), ok.euiccSignature1)) throw new EuiccSignatureInvalid();
  const signed = ok.euiccSigned1;
  if (!bytesEqual(signed.transactionId, input.session.transactionId)) throw new TransactionIdUnknown({ subjectIdentifier: 'euiccSigned1' });
  if (!bytesEqual(signed.serverChallenge, input.session.serverChallenge)) throw new ServerChallengeMismatch();
  if (signed.serverAddress.toLowerCase() !== input.serverAddress.toLowerCase()) {
    throw new RspError(Codes.euiccVerificationFailed, `serverAddress in euiccSigned1 is not this ${input.serverName}`);
  }
  return { ...verified, euiccSigned1: signed, euiccSignature1: ok.euiccSignature1 };
}

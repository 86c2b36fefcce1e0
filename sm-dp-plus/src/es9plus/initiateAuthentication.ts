// ES9+.InitiateAuthentication (SGP.22 v2.2.2 §5.6.1): the SM-DP+ checks the address
// and the eUICC's version and CI keys, opens a session and signs serverSigned1 with CERT.DPauth.
import { Codes, RspError, ServerSigned1, signRaw, type EUICCInfo1 } from '@zkesim/protocol';
import { SessionTableFull } from '@zkesim/rsp-server';
import type { Es9Context, SmdpCredential } from './context.js';

export interface InitiateAuthenticationInput {
  euiccChallenge: Uint8Array;
  euiccInfo1: EUICCInfo1;
  smdpAddress: string;
}

export interface InitiateAuthenticationOutput {
  transactionId: Uint8Array;
  serverSigned1: Uint8Array;
  /** Raw r‖s; the binding wraps it in the `5F37 40` DO. */
  serverSignature1: Uint8Array;
  /** The CI's SubjectKeyIdentifier (20 bytes); JSON carries it as the `04 14` TLV. */
  euiccCiPKIdToBeUsed: Uint8Array;
  serverCertificate: Uint8Array;
}

/** SGP.22 v2.x: the SM-DP+ serves eUICCs of major version 2. */
const supportedSvnMajor = 2;

export function initiateAuthentication(ctx: Es9Context, input: InitiateAuthenticationInput): InitiateAuthenticationOutput {
  const { clock, random } = ctx.deps;
  const now = clock.now();
  if (input.euiccChallenge.length !== 16) {
    throw new RspError(Codes.invalidRequestField, 'euiccChallenge: must be 16 bytes', { subjectIdentifier: 'euiccChallenge' });
  }
  // §5.6.1: the address the LPA used must be ours; FQDNs compare case-insensitively (RFC 4343).
  if (input.smdpAddress.toLowerCase() !== ctx.policy.smdpAddress.toLowerCase()) {
    throw new RspError(Codes.smdpAddressInvalid, undefined, { subjectIdentifier: 'smdpAddress' });
  }
  if (input.euiccInfo1.svn[0] !== supportedSvnMajor) {
    throw new RspError(Codes.svnUnsupported, undefined, { subjectIdentifier: 'euiccInfo1' });
  }
  const credentialIndex = chooseCredential(ctx.credentials, input.euiccInfo1);
  const credential = ctx.credentials[credentialIndex] as SmdpCredential;
  // One use of each euiccChallenge. SPEC-AMBIGUITY: SGP.22 gives no code for a repeated challenge; a
  // replay is a failed check of the eUICC's freshness, so we answer 8.1 / 6.1.
  if (ctx.sessions.challengeSeen(input.euiccChallenge, now)) {
    throw new RspError(Codes.euiccVerificationFailed, 'euiccChallenge was already used', { subjectIdentifier: 'euiccChallenge' });
  }
  const transactionId = random.bytes(16);
  const serverChallenge = random.bytes(16);
  try {
    ctx.sessions.open({ transactionId, euiccChallenge: input.euiccChallenge, serverChallenge, credentialIndex }, now);
  } catch (error) {
    if (error instanceof SessionTableFull) throw new RspError(Codes.functionExecutionError, error.message, { cause: error });
    throw error;
  }
  const serverSigned1 = ServerSigned1.encode({
    transactionId,
    euiccChallenge: input.euiccChallenge,
    serverAddress: ctx.policy.smdpAddress,
    serverChallenge,
  });
  return {
    transactionId,
    serverSigned1,
    serverSignature1: signRaw(credential.dpAuth.privateKey, serverSigned1),
    euiccCiPKIdToBeUsed: credential.ciKeyId,
    serverCertificate: credential.dpAuth.certificate.der,
  };
}

/**
 * §5.6.1: the CI public key must be one the eUICC verifies with (euiccCiPKIdListForVerification, it checks
 * CERT.DPauth with it) and one it signs under (…ForSigning, we check its chain with it).
 * SPEC-AMBIGUITY: we report 8.8.2 / 3.1 when no configured CI appears in either list and 8.8.4 / 3.7
 * when one appears in only one of them.
 */
function chooseCredential(credentials: readonly SmdpCredential[], info: EUICCInfo1): number {
  const has = (list: readonly Uint8Array[], id: Uint8Array): boolean => list.some((entry) => Buffer.from(entry).equals(id));
  let partial = false;
  for (const [index, credential] of credentials.entries()) {
    const forVerification = has(info.euiccCiPKIdListForVerification, credential.ciKeyId);
    const forSigning = has(info.euiccCiPKIdListForSigning, credential.ciKeyId);
    if (forVerification && forSigning) return index;
    partial ||= forVerification || forSigning;
  }
  throw new RspError(partial ? Codes.smdpCertificateUnavailable : Codes.ciPublicKeyUnsupported, undefined, { subjectIdentifier: 'euiccInfo1' });
}

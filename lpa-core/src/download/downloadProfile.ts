// The profile download of SGP.22 v2.2.2 §3.1.3, run by the LPA between the eUICC (ES10b) and the SM-DP+
// (ES9+): authentication, user consent and confirmation code, PrepareDownload, GetBoundProfilePackage,
// LoadBoundProfilePackage piece by piece, and the installation result. Every failure after the card has
// opened its session ends in a CancelSession with the reason that fits (cancelReasonFor).
import {
  SmdpSigned2, StoreMetadataRequest, authoriseProfilePolicyRules, hashConfirmationCode, readTlv, Certificate, type ProfileInstallationResult, DownloadErrorCode, nameOfNumber,
  type PrepareDownloadRequest, type ResponseOf, type es9plusFunctions,
} from '@zkesim/protocol';
import type { LpaContext } from '../context.js';
import { ConfirmationCodeRequired, DownloadRejected, Es10ResultError, ProfileInstallationFailed, ServerUnreachable } from '../errors.js';
import { getRat, loadBoundProfilePackage, prepareDownload } from '../es10-client/es10b.js';
import { PprNotAllowed } from './profilePolicyRules.js';
import { authenticateServerFailure, authenticateWithServer, type AuthenticatedSession } from './authenticate.js';
import type { BppStore, StoredDownload } from './bppStore.js';
import { cancelDownloadSession, DownloadAborted, type CancelReasonName } from './cancel.js';

export interface DownloadRequest {
  readonly smdpAddress: string;
  /** AC_Token / EventID; absent for the default SM-DP+ use case (§3.1.3, matchingId omitted). */
  readonly matchingId?: string;
  readonly confirmationCode?: string;
  /** SM-DP+ OID from the activation code; checked against CERT.DPauth when given. */
  readonly smdpOid?: string;
}

export interface DownloadResult {
  readonly transactionId: Uint8Array;
  readonly smdpAddress: string;
  readonly iccid: Uint8Array;
  readonly isdpAid: Uint8Array;
  readonly profileName: string;
  readonly serviceProviderName: string;
  /** seqNumber of the install notification the eUICC queued (the PIR). */
  readonly notificationSeqNumber: bigint;
}

/**
 * SPEC-AMBIGUITY: v2.2.2 knows four CancelSessionReasons. A declined download is endUserRejection, PPRs
 * the Rules Authorisation Table does not allow pprNotAllowed, a
 * missing confirmation code postponed (the user can come back with it), a network timeout timeout; any
 * other failure between AuthenticateServer and the BPP (server error, card error) is reported as
 * postponed, the reason that lets the operator offer the same order again.
 */
function cancelReasonFor(error: unknown): CancelReasonName {
  if (error instanceof DownloadRejected) return 'endUserRejection';
  if (error instanceof PprNotAllowed) return 'pprNotAllowed';
  if (error instanceof ServerUnreachable && error.timedOut) return 'timeout';
  return 'postponed';
}

async function confirmationCodeFor(context: LpaContext, request: DownloadRequest): Promise<string> {
  if (request.confirmationCode !== undefined) return request.confirmationCode;
  const asked = await context.interaction?.askConfirmationCode?.();
  if (asked === undefined || asked === '') throw new ConfirmationCodeRequired();
  return asked;
}

/** The fields of an ES9+.AuthenticateClient answer that the eUICC gets (§5.6.3). */
export type AuthenticateClientAnswer = Pick<ResponseOf<typeof es9plusFunctions.authenticateClient>, 'smdpSigned2' | 'smdpSignature2' | 'smdpCertificate'>;

/**
 * ES10b.PrepareDownload's request (§5.7.5) from the SM-DP+'s AuthenticateClient answer, with the hashCc of
 * `confirmationCode` over smdpSigned2's transactionId when one is given. Whether one is needed
 * (ccRequiredFlag) is the caller's decision.
 */
export function prepareDownloadRequest(authenticated: AuthenticateClientAnswer, confirmationCode: string | undefined): PrepareDownloadRequest {
  const smdpSigned2 = SmdpSigned2.decode(authenticated.smdpSigned2);
  return {
    smdpSigned2,
    // The JSON carries the whole 5F37 DO; the request wants its value.
    smdpSignature2: readTlv(authenticated.smdpSignature2).value,
    ...(confirmationCode === undefined ? {} : { hashCc: hashConfirmationCode(confirmationCode, smdpSigned2.transactionId) }),
    smdpCertificate: Certificate.decode(authenticated.smdpCertificate),
  };
}

/** AuthenticateClient, consent, confirmation code, PrepareDownload, GetBoundProfilePackage (§3.1.3.2–3). */
async function obtainBoundProfilePackage(context: LpaContext, request: DownloadRequest, session: AuthenticatedSession): Promise<{ bpp: Uint8Array; metadata: StoreMetadataRequest }> {
  const server = context.server(session.serverAddress);
  context.progress?.('authenticateClient');
  const authenticated = await server.authenticateClient({ transactionId: session.transactionId, authenticateServerResponse: session.authenticateServerResponse.bytes });
  const metadata = StoreMetadataRequest.decode(authenticated.profileMetadata);
  const ppr = metadata.profilePolicyRules === undefined ? undefined : authoriseProfilePolicyRules(metadata, await getRat(context.channel));
  if (ppr !== undefined && !ppr.allowed) throw new PprNotAllowed(ppr.pprs);
  context.progress?.('userConsent', metadata.profileName);
  // SPEC-AMBIGUITY: without a consent callback (the CLI without --confirm) running the download command is
  // taken as the user's consent, also for PPRs whose rule sets consentRequired.
  const consent = context.interaction?.confirmDownload === undefined ? true : await context.interaction.confirmDownload(metadata);
  if (!consent) throw new DownloadRejected();
  const ccRequired = SmdpSigned2.decode(authenticated.smdpSigned2).ccRequiredFlag;
  const confirmationCode = ccRequired ? await confirmationCodeFor(context, request) : undefined;
  context.progress?.('prepareDownload');
  const prepared = await prepareDownload(context.channel, prepareDownloadRequest(authenticated, confirmationCode));
  context.progress?.('getBoundProfilePackage');
  const body = { transactionId: session.transactionId, prepareDownloadResponse: prepared.bytes };
  if ('downloadResponseError' in prepared.value) {
    // Forwarded too, so that the SM-DP+ ends its session with the matching error (§5.6.2).
    const errorCode = prepared.value.downloadResponseError.downloadErrorCode;
    const forwarded = await server.getBoundProfilePackage(body).then(
      () => 'the SM-DP+ still sent a BPP',
      (error: unknown) => `the SM-DP+ answered: ${error instanceof Error ? error.message : String(error)}`,
    );
    const failure = new Es10ResultError('PrepareDownload', errorCode, nameOfNumber(DownloadErrorCode.named, errorCode) ?? 'unknown');
    failure.message = `${failure.message}; ${forwarded}`;
    throw failure;
  }
  const bound = await server.getBoundProfilePackage(body);
  return { bpp: bound.boundProfilePackage, metadata };
}

/** Loads a stored BPP (from `startAt`), keeping the progress in the store if the transport fails. */
export async function loadStoredDownload(context: LpaContext, store: BppStore | undefined, download: StoredDownload): Promise<ProfileInstallationResult> {
  let loaded = download.piecesLoaded;
  context.progress?.('loadBoundProfilePackage', loaded === 0 ? undefined : `resuming after piece ${loaded}`);
  try {
    const result = await loadBoundProfilePackage(context.channel, download.boundProfilePackage, (count) => {
      loaded = count;
    }, download.piecesLoaded);
    store?.remove(download.transactionId);
    return result.value;
  } catch (error) {
    store?.save({ ...download, piecesLoaded: loaded });
    throw error;
  }
}

function resultOf(pir: ProfileInstallationResult, session: { transactionId: Uint8Array; smdpAddress: string }, metadata: StoreMetadataRequest | undefined): DownloadResult {
  const data = pir.profileInstallationResultData;
  if ('errorResult' in data.finalResult) {
    // The PIR is still an install notification the SM-DP+ must receive (§3.1.3.4); its seqNumber goes with the error.
    throw new ProfileInstallationFailed(data.finalResult.errorResult.bppCommandId, data.finalResult.errorResult.errorReason, data.notificationMetadata.seqNumber);
  }
  return {
    transactionId: session.transactionId,
    smdpAddress: session.smdpAddress,
    iccid: data.notificationMetadata.iccid ?? metadata?.iccid ?? new Uint8Array(),
    isdpAid: data.finalResult.successResult.aid,
    profileName: metadata?.profileName ?? '',
    serviceProviderName: metadata?.serviceProviderName ?? '',
    notificationSeqNumber: data.notificationMetadata.seqNumber,
  };
}

/**
 * Runs a complete download; see the file comment. Throws DownloadAborted or ProfileInstallationFailed; like
 * the result's install notification on success, the failed one is the caller's to deliver (Lpa does).
 */
export async function downloadProfile(context: LpaContext, request: DownloadRequest, store?: BppStore): Promise<DownloadResult> {
  let session: AuthenticatedSession;
  try {
    session = await authenticateWithServer(context, request.smdpAddress, request.matchingId, false, request.smdpOid);
  } catch (error) {
    throw new DownloadAborted('authentication', error);
  }
  const cardAnswer = session.authenticateServerResponse.value;
  if ('authenticateResponseError' in cardAnswer) {
    const failure = authenticateServerFailure(cardAnswer.authenticateResponseError.authenticateErrorCode);
    // Forwarded so that the SM-DP+ closes its session (§5.6.3); its answer is reported with the failure.
    const forwarded = await context
      .server(request.smdpAddress)
      .authenticateClient({ transactionId: session.transactionId, authenticateServerResponse: session.authenticateServerResponse.bytes })
      .then(
        () => 'the SM-DP+ accepted the forwarded error',
        (error: unknown) => `the SM-DP+ answered the forwarded error with: ${error instanceof Error ? error.message : String(error)}`,
      );
    throw new DownloadAborted('AuthenticateServer', failure, undefined, forwarded);
  }
  let obtained: { bpp: Uint8Array; metadata: StoreMetadataRequest };
  try {
    obtained = await obtainBoundProfilePackage(context, request, session);
  } catch (error) {
    const cancellation = await cancelDownloadSession(context, request.smdpAddress, session.transactionId, cancelReasonFor(error));
    throw new DownloadAborted('download', error, cancellation);
  }
  const stored: StoredDownload = { transactionId: session.transactionId, smdpAddress: request.smdpAddress, iccid: obtained.metadata.iccid, boundProfilePackage: obtained.bpp, piecesLoaded: 0 };
  store?.save(stored);
  const pir = await loadStoredDownload(context, store, stored);
  return resultOf(pir, { transactionId: session.transactionId, smdpAddress: request.smdpAddress }, obtained.metadata);
}

/** Resumes the load of a stored BPP after a transport failure (same card session). */
export async function resumeDownload(context: LpaContext, store: BppStore, download: StoredDownload): Promise<DownloadResult> {
  const pir = await loadStoredDownload(context, store, download);
  return resultOf(pir, download, undefined);
}

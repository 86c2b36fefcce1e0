// ES10b.PrepareDownload (SGP.22 §5.7.5): checks CERT.DPpb (same CI as the authentication), smdpSignature2
// over DER(smdpSigned2) ‖ 5F37(euiccSignature1) and the transactionId, then generates (or re-uses, for a
// retry with bppEuiccOtpk) the one-time key pair otPK/otSK.EUICC.ECKA on the curve of CERT.DPpb and signs
// euiccSigned2 ‖ 5F37(smdpSignature2).
import {
  EUICCSigned2,
  PrepareDownloadRequest,
  PrepareDownloadResponse,
  bytesEqual,
  derOf,
  euiccSignature2Tbs,
  smdpSignature2Tbs,
  verifyRaw,
  type CurveName,
  DownloadErrorCode,
} from '@zkesim/protocol';
import type { Es10Handler } from '../core/euicc.js';
import { registeredIdOf } from '../core/certificates.js';
import { decodeRequest } from '../core/requestCodec.js';
import { checkServerCertificate } from '../core/serverCertificates.js';
import type { PreparedDownload } from '../core/session.js';
import { signWithCredential } from '../core/signing.js';

/** SGP.22 DownloadErrorCode, named as in RSPDefinitions. */
const error = DownloadErrorCode.named;

export const prepareDownload: Es10Handler = (request, { state, session, deps }) => {
  const { smdpSigned2, smdpSignature2, hashCc, smdpCertificate } = decodeRequest(PrepareDownloadRequest, request);
  const { transactionId } = smdpSigned2;
  const fail = (downloadErrorCode: number): Uint8Array => {
    session.clear();
    return PrepareDownloadResponse.encode({ downloadResponseError: { transactionId, downloadErrorCode } });
  };
  const server = session.data.server;
  if (!session.isAllowed('prepareDownload') || server === undefined) return fail(error.noSessionContext);
  if (!bytesEqual(server.transactionId, transactionId)) return fail(error.invalidTransactionId);
  const credential = state.credentials[server.credentialIndex];
  if (credential === undefined) return fail(error.undefinedError);
  const certificateDer = derOf(smdpCertificate);
  const check = checkServerCertificate(state, certificateDer, server.ciPKId, 'dppb', new Date(deps.clock.now()));
  if (!check.ok) {
    deps.logger.info({ function: 'PrepareDownload', problem: check.problem, detail: check.detail }, 'CERT.DPpb refused');
    return fail(check.problem === 'unsupportedCurve' ? error.unsupportedCurve : error.invalidCertificate);
  }
  if (!verifyRaw(check.publicKey, smdpSignature2Tbs(derOf(smdpSigned2), server.euiccSignature1), smdpSignature2)) {
    return fail(error.invalidSignature);
  }
  // SPEC-AMBIGUITY: SGP.22 §5.7.5 has no error code for a missing Confirmation Code hash; the SM-DP+ detects
  // it in GetBoundProfilePackage (8.2.7/2.2). We refuse early with undefinedError(127) so the LPA learns it.
  if (smdpSigned2.ccRequiredFlag && hashCc === undefined) return fail(error.undefinedError);

  const curve: CurveName = check.certificate.curve;
  // The retained key may come from an earlier session (a retry after the session was lost).
  const previous = session.data.download ?? session.oneTimeKey;
  const reuse = smdpSigned2.bppEuiccOtpk !== undefined && previous !== undefined && bytesEqual(previous.otPKEuicc, smdpSigned2.bppEuiccOtpk);
  const keys = reuse ? { privateKey: previous.otSKEuicc, publicPoint: previous.otPKEuicc } : deps.eckaKeys(curve);
  session.oneTimeKey = { otPKEuicc: keys.publicPoint, otSKEuicc: keys.privateKey };
  const euiccSigned2: EUICCSigned2 = { transactionId, euiccOtpk: keys.publicPoint, ...(hashCc === undefined ? {} : { hashCc }) };
  const euiccSignature2 = signWithCredential(credential, euiccSignature2Tbs(EUICCSigned2.encode(euiccSigned2), smdpSignature2));
  const download: PreparedDownload = {
    curve,
    dpPbPublicKey: check.publicKey,
    smdpOid: registeredIdOf(certificateDer) ?? server.smdpOid,
    otSKEuicc: keys.privateKey,
    otPKEuicc: keys.publicPoint,
    ccRequired: smdpSigned2.ccRequiredFlag,
    hashCc,
  };
  session.data = { ...session.data, download };
  session.moveTo('downloadPrepared');
  return PrepareDownloadResponse.encode({ downloadResponseOk: { euiccSigned2, euiccSignature2 } });
};

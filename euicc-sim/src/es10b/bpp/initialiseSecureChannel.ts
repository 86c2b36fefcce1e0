// ES8+.InitialiseSecureChannel inside the BPP (SGP.22 §5.5.1 / §2.5.4, checked by the eUICC per §5.7.6):
// remoteOpId, transactionId, the CRT, smdpSign over the BF23 content up to smdpSign ‖ 5F49 otPK.EUICC
// (the TBS of §5.5.1), then ECKA with otSK.EUICC and the BSP key derivation.
import {
  Asn1DecodeError,
  BspSession,
  bytesEqual,
  InitialiseSecureChannelRequest,
  InvalidPublicKeyError,
  RemoteOpId,
  derOf,
  eckaSharedSecret,
  readTlv,
  signatureDoTag,
  smdpSignTbs,
  splitTlvs,
  verifyRaw,
} from '@zkesim/protocol';
import { readTlvHeader } from '../../core/berHeader.js';
import { bppCommandId, errorReason, InstallError, type InstallProgress } from '../../core/installation.js';
import type { AuthenticatedServer, PreparedDownload } from '../../core/session.js';

const KEY_TYPE_AES = 0x88;
const KEY_LENGTH_16 = 0x10;

/** Processes piece 1 (BF36 header + BF23) and returns the new installation progress. */
export function initialiseSecureChannel(piece: Uint8Array, eid: Uint8Array, server: AuthenticatedServer, download: PreparedDownload): InstallProgress {
  const fail = (message: string, reason: number, cause?: unknown): InstallError =>
    new InstallError(message, bppCommandId.initialiseSecureChannel, reason, cause === undefined ? undefined : { cause });
  let request: InitialiseSecureChannelRequest;
  try {
    request = InitialiseSecureChannelRequest.decode(piece.subarray(readTlvHeader(piece).headerLength));
  } catch (error) {
    if (error instanceof Asn1DecodeError) throw fail(`InitialiseSecureChannelRequest: ${error.message}`, errorReason.incorrectInputValues, error);
    throw error;
  }
  if (request.remoteOpId !== RemoteOpId.named.installBoundProfilePackage) throw fail(`remoteOpId ${request.remoteOpId}`, errorReason.unsupportedRemoteOperationType);
  if (!bytesEqual(request.transactionId, server.transactionId)) throw fail('transactionId of another session', errorReason.invalidTransactionId);
  const crt = request.controlRefTemplate;
  if (crt.keyType.length !== 1 || crt.keyType[0] !== KEY_TYPE_AES || crt.keyLen.length !== 1 || crt.keyLen[0] !== KEY_LENGTH_16) {
    throw fail('control reference template is not AES-128', errorReason.unsupportedCrtValues);
  }
  if (!verifyRaw(download.dpPbPublicKey, smdpSignTbs(contentBeforeSmdpSign(derOf(request)), download.otPKEuicc), request.smdpSign)) {
    throw fail('smdpSign does not verify with CERT.DPpb', errorReason.invalidSignature);
  }
  let sharedSecret: Uint8Array;
  try {
    sharedSecret = eckaSharedSecret(download.otSKEuicc, request.smdpOtpk);
  } catch (error) {
    if (error instanceof InvalidPublicKeyError) throw fail('otPK.DP.ECKA is not a point on the curve', errorReason.incorrectInputValues, error);
    throw error;
  }
  return {
    stage: 'configureIsdp',
    bsp: BspSession.derive({ sharedSecret, hostId: crt.hostId, eid }),
    pieces: 1,
    metadataParts: [],
    remainingProfileBytes: 0,
  };
}

/** The received BF23 content before smdpSign (the exact bytes the SM-DP+ signed). */
function contentBeforeSmdpSign(bf23: Uint8Array): Uint8Array {
  const children = splitTlvs(readTlv(bf23).value);
  const signIndex = children.findIndex((child) => child.tag === signatureDoTag);
  return Uint8Array.from(children.slice(0, signIndex < 0 ? children.length : signIndex).flatMap((child) => [...child.tlv]));
}

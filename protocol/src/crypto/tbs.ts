// The data-to-be-signed of the chained signatures (SGP.22 v2.2.2 §5.6.3 smdpSignature2, §5.7.5
// euiccSignature2): the signed structure's exact DER, followed by the peer's previous
// signature as a complete `5F37 40 ‖ r‖s` DO. Plain byte functions: the ASN.1 is the caller's.
import { concatBytes } from '../bytes.js';
import { rawSignatureLength } from './signature.js';
import { uncompressedPointLength } from './ecka.js';
import { SignatureEncodingError, assertBytes } from './errors.js';

/** Tag of the signature DOs (`[APPLICATION 55]`, 5F37). */
export const signatureDoTag = 0x5f37;
/** Tag of the one-time public key DOs (`[APPLICATION 73]`, 5F49). */
export const publicKeyDoTag = 0x5f49;

/** `5F37 40 ‖ r‖s`: the signature data object carried in BF38, BF21, BF23, BF37 and in JSON. */
export function signatureDataObject(rawSignature: Uint8Array): Uint8Array {
  assertBytes(rawSignature, 'signature', rawSignatureLength);
  const out = new Uint8Array(3 + rawSignatureLength);
  out.set([0x5f, 0x37, rawSignatureLength]);
  out.set(rawSignature, 3);
  return out;
}

/** The 64-byte r‖s inside a `5F37 40` DO; throws SignatureEncodingError on any other shape. */
export function rawSignatureOfDataObject(dataObject: Uint8Array): Uint8Array {
  assertBytes(dataObject, 'signature data object');
  if (dataObject.length !== 3 + rawSignatureLength || dataObject[0] !== 0x5f || dataObject[1] !== 0x37 || dataObject[2] !== rawSignatureLength) {
    throw new SignatureEncodingError(`signature data object: expected 5F37 40 followed by 64 bytes, got ${dataObject.length} bytes`);
  }
  return dataObject.slice(3);
}

/**
 * TBS of smdpSignature2 (§5.6.3): DER(smdpSigned2) ‖ `5F37 40` ‖ euiccSignature1.
 * `smdpSigned2Der` must be the exact bytes sent or received.
 */
export function smdpSignature2Tbs(smdpSigned2Der: Uint8Array, euiccSignature1: Uint8Array): Uint8Array {
  assertBytes(smdpSigned2Der, 'smdpSigned2');
  return concatBytes([smdpSigned2Der, signatureDataObject(euiccSignature1)]);
}

/**
 * TBS of euiccSignature2 (§5.7.5): DER(euiccSigned2) ‖ `5F37 40` ‖ smdpSignature2.
 * `euiccSigned2Der` must be the exact bytes sent or received.
 */
export function euiccSignature2Tbs(euiccSigned2Der: Uint8Array, smdpSignature2: Uint8Array): Uint8Array {
  assertBytes(euiccSigned2Der, 'euiccSigned2');
  return concatBytes([euiccSigned2Der, signatureDataObject(smdpSignature2)]);
}

/** `5F49 41 ‖ 04‖X‖Y`: the one-time public key DO (otPK.DP.ECKA in BF23, otPK.EUICC.ECKA in euiccSigned2). */
export function publicKeyDataObject(uncompressedPoint: Uint8Array): Uint8Array {
  assertBytes(uncompressedPoint, 'publicPoint', uncompressedPointLength);
  return concatBytes([Uint8Array.of(0x5f, 0x49, uncompressedPointLength), uncompressedPoint]);
}

/**
 * TBS of smdpSign in InitialiseSecureChannelRequest (SGP.22 §5.5.1): the BF23 value
 * up to, not including, smdpSign (`82 01 01 ‖ 80 L transactionId ‖ A6 L CRT ‖ 5F49 41 otPK.DP.ECKA`),
 * followed by `5F49 41 ‖ otPK.EUICC.ECKA`. `contentBeforeSmdpSign` must be the exact bytes sent or received.
 */
export function smdpSignTbs(contentBeforeSmdpSign: Uint8Array, otPkEuiccEcka: Uint8Array): Uint8Array {
  assertBytes(contentBeforeSmdpSign, 'initialiseSecureChannelRequest content');
  return concatBytes([contentBeforeSmdpSign, publicKeyDataObject(otPkEuiccEcka)]);
}

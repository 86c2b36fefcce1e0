// Errors of the crypto layer. They are not RspErrors: the caller decides which SGP.22 code or ASN.1
// error value a failure maps to (e.g. the eUICC turns BspMacError into ErrorReason
// scp03tSecurityError(8) in ProfileInstallationResult, SGP.22 v2.2.2 §5.7.6).

/** Base class: bad input to a crypto function (wrong length, not on the curve, unsupported curve...). */
export class CryptoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A key or certificate is on a curve other than P-256 and brainpoolP256r1 (AuthenticateErrorCode 3). */
export class UnsupportedCurveError extends CryptoError {}

/** A public key point is malformed or not on the curve. */
export class InvalidPublicKeyError extends CryptoError {}

/** A signature is not well-formed (neither 64-byte r‖s nor strict DER ECDSA-Sig-Value). */
export class SignatureEncodingError extends CryptoError {}

/** An argument has the wrong size or range (the message names the argument). */
export class CryptoInputError extends CryptoError {}

/** BSP: a segment's C-MAC does not verify (ErrorReason scp03tSecurityError). */
export class BspMacError extends CryptoError {
  readonly errorReason = 'scp03tSecurityError' as const;
}

/** BSP: a segment is structurally wrong: tag, length, size limit, padding (ErrorReason scp03tStructureError). */
export class BspStructureError extends CryptoError {
  readonly errorReason = 'scp03tStructureError' as const;
}

/** Noble-style boundary check: throws CryptoInputError naming the argument. */
export function assertBytes(value: Uint8Array, title: string, ...lengths: number[]): void {
  if (!(value instanceof Uint8Array)) throw new CryptoInputError(`${title}: expected Uint8Array`);
  if (lengths.length > 0 && !lengths.includes(value.length)) {
    throw new CryptoInputError(`${title}: expected ${lengths.join(' or ')} bytes, got ${value.length}`);
  }
}

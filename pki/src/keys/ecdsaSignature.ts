import * as asn1js from 'asn1js';
import { PkiUsageError } from '../errors.js';

/** Size of r and of s for the 256-bit RSP curves (SGP.22 v2.2.2 §2.6.5). */
const SCALAR_LENGTH = 32;

/** The minimal two's-complement INTEGER contents for an unsigned big-endian number. */
function unsignedIntegerContents(scalar: Uint8Array): Uint8Array {
  let start = 0;
  while (start < scalar.length - 1 && scalar[start] === 0) start += 1;
  const trimmed = scalar.subarray(start);
  if (((trimmed[0] ?? 0) & 0x80) === 0) return trimmed;
  const padded = new Uint8Array(trimmed.length + 1);
  padded.set(trimmed, 1);
  return padded;
}

/**
 * Raw r‖s (the RSP data-object form) to DER ECDSA-Sig-Value (RFC 5480 §2.2 / RFC 3279 §2.2.3), the form
 * X.509 signatures use.
 * @example ecdsaRawToDer(signer.sign(tbs))
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 2 * SCALAR_LENGTH) {
    throw new PkiUsageError(`raw ECDSA signature must be ${2 * SCALAR_LENGTH} bytes, got ${raw.length}`);
  }
  const sequence = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ valueHex: unsignedIntegerContents(raw.subarray(0, SCALAR_LENGTH)) }),
      new asn1js.Integer({ valueHex: unsignedIntegerContents(raw.subarray(SCALAR_LENGTH)) }),
    ],
  });
  return new Uint8Array(sequence.toBER());
}

// ECDSA with SHA-256 on P-256 and brainpoolP256r1 (SGP.22 v2.2.2 §2.6.5).
// RSP signatures (every `5F37` DO) are the plain r‖s form of BSI TR-03111: r and s each left-padded
// to 32 bytes, 64 bytes in all. X.509 certificates and CRLs use DER ECDSA-Sig-Value instead.
import { createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { coordinateLength, curveOfKey, type CurveName } from './curves.js';
import { SignatureEncodingError, CryptoInputError, assertBytes } from './errors.js';

/** Length of a raw r‖s signature on a 256-bit curve. */
export const rawSignatureLength = 2 * coordinateLength;

/**
 * Signs for one RSP role (SK.DPauth, SK.DPpb, SK.EUICC, ...). Defined once here; the PKI and every role
 * use this interface, so that a PKCS#11 implementation can replace the KeyObject one.
 */
export interface Signer {
  readonly curve: CurveName;
  /** The public key that verifies this signer's signatures. */
  readonly publicKey: KeyObject;
  /** ECDSA-SHA256 over `data`, raw r‖s (64 bytes), as carried in `5F37` DOs. */
  sign(data: Uint8Array): Uint8Array;
}

/** ECDSA-SHA256 over `data` with an EC private key, raw r‖s (64 bytes). */
export function signRaw(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  curveOfKey(privateKey);
  if (privateKey.type !== 'private') throw new CryptoInputError('privateKey: expected a private key');
  return new Uint8Array(nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
}

/**
 * Verifies a raw r‖s ECDSA-SHA256 signature. Returns false when it does not verify, including when it
 * is not 64 bytes long (a malformed signature is an invalid signature, SGP.22 invalidSignature(2)).
 */
export function verifyRaw(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  curveOfKey(publicKey);
  if (signature.length !== rawSignatureLength) return false;
  return nodeVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
}

/** ECDSA-SHA256 over `data` as DER ECDSA-Sig-Value (for X.509 structures). */
export function signDer(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return rawSignatureToDer(signRaw(privateKey, data));
}

/** Verifies a DER ECDSA-Sig-Value signature; false when malformed or not verifying. */
export function verifyDer(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  let raw: Uint8Array;
  try {
    raw = derSignatureToRaw(signature);
  } catch (error) {
    if (error instanceof SignatureEncodingError) return false;
    throw error;
  }
  return verifyRaw(publicKey, data, raw);
}

/** A Signer backed by a node:crypto private KeyObject. */
export class KeyObjectSigner implements Signer {
  readonly curve: CurveName;
  readonly publicKey: KeyObject;
  readonly #privateKey: KeyObject;

  /** `publicKey` defaults to the one derived from `privateKey`. */
  constructor(privateKey: KeyObject, publicKey?: KeyObject) {
    if (privateKey.type !== 'private') throw new CryptoInputError('privateKey: expected a private key');
    this.curve = curveOfKey(privateKey);
    publicKey ??= createPublicKey(privateKey);
    if (curveOfKey(publicKey) !== this.curve) throw new CryptoInputError('publicKey: not on the curve of privateKey');
    this.#privateKey = privateKey;
    this.publicKey = publicKey;
  }

  sign(data: Uint8Array): Uint8Array {
    return signRaw(this.#privateKey, data);
  }

  /** The same signature as DER ECDSA-Sig-Value, for certificates and CRLs. */
  signDer(data: Uint8Array): Uint8Array {
    return signDer(this.#privateKey, data);
  }
}

function unsignedIntegerBytes(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start += 1;
  const minimal = value.subarray(start);
  if ((minimal[0] ?? 0) & 0x80) {
    const padded = new Uint8Array(minimal.length + 1);
    padded.set(minimal, 1);
    return padded;
  }
  return minimal;
}

/**
 * Raw r‖s (64 bytes) to DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5480 §2.2.3),
 * with minimal INTEGERs (leading zeros stripped, a 00 added when the high bit is set).
 */
export function rawSignatureToDer(raw: Uint8Array): Uint8Array {
  assertBytes(raw, 'signature', rawSignatureLength);
  const r = unsignedIntegerBytes(raw.subarray(0, coordinateLength));
  const s = unsignedIntegerBytes(raw.subarray(coordinateLength));
  const body = [0x02, r.length, ...r, 0x02, s.length, ...s];
  // body is at most 2 × (2 + 33) = 70 bytes, so the short length form always applies.
  return Uint8Array.from([0x30, body.length, ...body]);
}

function readDerInteger(der: Uint8Array, offset: number): { value: Uint8Array; end: number } {
  if (der[offset] !== 0x02) throw new SignatureEncodingError(`DER signature: expected INTEGER at offset ${offset}`);
  const length = der[offset + 1];
  if (length === undefined || length === 0 || length > 0x7f) {
    throw new SignatureEncodingError(`DER signature: bad INTEGER length at offset ${offset + 1}`);
  }
  const end = offset + 2 + length;
  if (end > der.length) throw new SignatureEncodingError('DER signature: truncated INTEGER');
  const value = der.subarray(offset + 2, end);
  const first = value[0] ?? 0;
  const second = value[1] ?? 0;
  if (first & 0x80) throw new SignatureEncodingError('DER signature: negative INTEGER');
  if (value.length > 1 && first === 0 && (second & 0x80) === 0) {
    throw new SignatureEncodingError('DER signature: non-minimal INTEGER');
  }
  return { value, end };
}

function leftPad(value: Uint8Array, into: Uint8Array, offset: number): void {
  const stripped = value.length > coordinateLength && value[0] === 0 ? value.subarray(1) : value;
  if (stripped.length > coordinateLength) throw new SignatureEncodingError('DER signature: INTEGER longer than 32 bytes');
  into.set(stripped, offset + coordinateLength - stripped.length);
}

/**
 * Strict DER ECDSA-Sig-Value to raw r‖s, each left-padded to 32 bytes (r or s shorter than 32 bytes
 * happens in about 1 of 128 signatures).
 */
export function derSignatureToRaw(der: Uint8Array): Uint8Array {
  assertBytes(der, 'signature');
  if (der[0] !== 0x30 || der.length < 8) throw new SignatureEncodingError('DER signature: expected a SEQUENCE');
  const length = der[1] ?? 0;
  if (length > 0x7f || length + 2 !== der.length) throw new SignatureEncodingError('DER signature: bad SEQUENCE length');
  const r = readDerInteger(der, 2);
  const s = readDerInteger(der, r.end);
  if (s.end !== der.length) throw new SignatureEncodingError('DER signature: trailing bytes');
  const raw = new Uint8Array(rawSignatureLength);
  leftPad(r.value, raw, 0);
  leftPad(s.value, raw, coordinateLength);
  return raw;
}

// One-time key pairs and ECKA-DH key agreement for the BSP (SGP.22 v2.2.2 §2.6.4 / Annex G):
// otPK/otSK.DP.ECKA and otPK/otSK.EUICC.ECKA on the curve of CERT.DPpb.ECDSA; the
// shared secret ShS is the X coordinate of otSK·otPK' (BSI TR-03111 ECKA-DH), 32 bytes.
import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { coordinateLength, curveOfKey, curveOidDer, opensslCurveName, type CurveName } from './curves.js';
import { CryptoInputError, InvalidPublicKeyError, assertBytes } from './errors.js';

/** Length of an uncompressed point `04 ‖ X ‖ Y` on a 256-bit curve. */
export const uncompressedPointLength = 1 + 2 * coordinateLength;

/** A one-time ECKA key pair; `publicPoint` is the `04 ‖ X ‖ Y` value carried in a `5F49` DO. */
export interface EckaKeyPair {
  readonly curve: CurveName;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicPoint: Uint8Array;
}

/**
 * Makes one-time key pairs. Injected through a role's Deps so that tests can use fixed keys
 * (`fixedEckaKeyGenerator`) while production uses `generateEckaKeyPair` (OpenSSL's RNG).
 */
export type EckaKeyGenerator = (curve: CurveName) => EckaKeyPair;

// DER prefixes of SubjectPublicKeyInfo (RFC 5480 §2) for an uncompressed 65-byte point:
// SEQUENCE { SEQUENCE { id-ecPublicKey, namedCurve }, BIT STRING (0 unused bits) point }.
const idEcPublicKeyDer = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

function spkiOfPoint(curve: CurveName, point: Uint8Array): Uint8Array {
  const algorithm = [...idEcPublicKeyDer, ...curveOidDer[curve]];
  const bitString = [0x03, point.length + 1, 0x00, ...point];
  const body = [0x30, algorithm.length, ...algorithm, ...bitString];
  return Uint8Array.from([0x30, body.length, ...body]);
}

// SEC1 ECPrivateKey (RFC 5915 §3): SEQUENCE { 1, OCTET STRING d, [0] namedCurve, [1] BIT STRING point }.
function sec1OfScalar(curve: CurveName, scalar: Uint8Array, point: Uint8Array): Uint8Array {
  const parameters = [0xa0, curveOidDer[curve].length, ...curveOidDer[curve]];
  const publicKey = [0xa1, point.length + 3, 0x03, point.length + 1, 0x00, ...point];
  const body = [0x02, 0x01, 0x01, 0x04, scalar.length, ...scalar, ...parameters, ...publicKey];
  return Uint8Array.from([0x30, body.length, ...body]);
}

/**
 * `04 ‖ X ‖ Y` of an EC public key. P-256 goes through JWK; brainpool (no JWK in node) through the
 * SubjectPublicKeyInfo, whose point is its last 65 bytes. (OpenSSL 3's SPKI encoder is slow, hence JWK.)
 */
export function encodeUncompressedPoint(publicKey: KeyObject): Uint8Array {
  const curve = curveOfKey(publicKey);
  if (curve === 'P-256') {
    const jwk = publicKey.export({ format: 'jwk' });
    return Uint8Array.from([0x04, ...Buffer.from(jwk.x ?? '', 'base64url'), ...Buffer.from(jwk.y ?? '', 'base64url')]);
  }
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - uncompressedPointLength));
}

/** The public point kept inside a SEC1 ECPrivateKey (RFC 5915: it ends with [1] BIT STRING 04‖X‖Y). */
function pointOfPrivateKey(privateKey: KeyObject): Uint8Array {
  const sec1 = privateKey.export({ format: 'der', type: 'sec1' });
  const point = sec1.subarray(sec1.length - uncompressedPointLength);
  if (point[0] !== 0x04 || sec1[sec1.length - uncompressedPointLength - 1] !== 0x00) {
    throw new InvalidPublicKeyError('SEC1 private key without an uncompressed public point');
  }
  return new Uint8Array(point);
}

/**
 * Decodes `04 ‖ X ‖ Y` into a public KeyObject on `curve`. OpenSSL rejects coordinates outside the
 * field and points that are not on the curve; both become InvalidPublicKeyError.
 */
export function decodeUncompressedPoint(curve: CurveName, point: Uint8Array): KeyObject {
  assertBytes(point, 'publicPoint');
  if (point.length !== uncompressedPointLength || point[0] !== 0x04) {
    throw new InvalidPublicKeyError(`publicPoint: expected 65 bytes 04‖X‖Y, got ${point.length} bytes`);
  }
  try {
    // P-256 goes in as a JWK (RFC 7518 §6.2.1): OpenSSL 3 sets the coordinates directly (checking the point
    // is on the curve) instead of running its generic SPKI decoders, about a third cheaper. Node's JWK import
    // knows no brainpool curve, which keeps the SPKI.
    if (curve === 'P-256') {
      const coordinate = (from: number) => Buffer.from(point.buffer, point.byteOffset + from, coordinateLength).toString('base64url');
      return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: coordinate(1), y: coordinate(1 + coordinateLength) }, format: 'jwk' });
    }
    return createPublicKey({ key: Buffer.from(spkiOfPoint(curve, point)), format: 'der', type: 'spki' });
  } catch (error) {
    throw new InvalidPublicKeyError(`publicPoint: not a point on ${curve}`, { cause: error });
  }
}

/** A fresh one-time key pair from OpenSSL's RNG. */
export function generateEckaKeyPair(curve: CurveName): EckaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: opensslCurveName(curve) });
  return { curve, privateKey, publicKey, publicPoint: pointOfPrivateKey(privateKey) };
}

/** The key pair of a given private scalar (32 bytes, 1 ≤ d < n): deterministic keys for tests and vectors. */
export function eckaKeyPairFromScalar(curve: CurveName, scalar: Uint8Array): EckaKeyPair {
  assertBytes(scalar, 'privateScalar', coordinateLength);
  const ecdh = createECDH(opensslCurveName(curve));
  try {
    ecdh.setPrivateKey(scalar);
  } catch (error) {
    throw new CryptoInputError(`privateScalar: not a valid ${curve} private key`, { cause: error });
  }
  const publicPoint = new Uint8Array(ecdh.getPublicKey());
  const privateKey = createPrivateKey({
    key: Buffer.from(sec1OfScalar(curve, scalar, publicPoint)),
    format: 'der',
    type: 'sec1',
  });
  return { curve, privateKey, publicKey: decodeUncompressedPoint(curve, publicPoint), publicPoint };
}

/** An EckaKeyGenerator that hands out the key pairs of the given scalars in order, then fails. */
export function fixedEckaKeyGenerator(scalars: readonly Uint8Array[]): EckaKeyGenerator {
  let next = 0;
  return (curve) => {
    const scalar = scalars[next];
    if (scalar === undefined) throw new CryptoInputError(`fixedEckaKeyGenerator: only ${scalars.length} keys given`);
    next += 1;
    return eckaKeyPairFromScalar(curve, scalar);
  };
}

/**
 * ECKA-DH shared secret ShS = X coordinate of privateKey·peer (32 bytes). The peer is a KeyObject or an
 * uncompressed point; both must be on the curve of `privateKey`.
 */
export function eckaSharedSecret(privateKey: KeyObject, peer: KeyObject | Uint8Array): Uint8Array {
  const curve = curveOfKey(privateKey);
  const publicKey = peer instanceof Uint8Array ? decodeUncompressedPoint(curve, peer) : peer;
  if (curveOfKey(publicKey) !== curve) throw new InvalidPublicKeyError(`peer public key: not on ${curve}`);
  return new Uint8Array(diffieHellman({ privateKey, publicKey }));
}

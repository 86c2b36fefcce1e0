// One-time key pairs and ECKA-DH key agreement for the BSP (SGP.22 v2.2.2 §2.6.4 / Annex G):
// otPK/otSK.DP.ECKA and otPK/otSK.EUICC.ECKA on the curve of CERT.DPpb.ECDSA; the
// shared secret ShS is the X coordinate of otSK·otPK' (BSI TR-03111 ECKA-DH), 32 bytes.
import {
  createECDH,
  type ECDH,
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
  const publicPoint = new Uint8Array(ecdhOfScalar(curve, scalar).getPublicKey());
  const privateKey = createPrivateKey({
    key: Buffer.from(sec1OfScalar(curve, scalar, publicPoint)),
    format: 'der',
    type: 'sec1',
  });
  return { curve, privateKey, publicKey: decodeUncompressedPoint(curve, publicPoint), publicPoint };
}

/**
 * A one-time key for exactly one ECKA-DH agreement, held as OpenSSL's raw EC key (node's ECDH object) and
 * never as KeyObjects (SGP.22 v2.2.2 §2.6.4.1: otSK.DP.ECKA is generated per binding and used once). Against
 * `generateEckaKeyPair` + `eckaSharedSecret` it saves per key OpenSSL's parameter generation, the export
 * of the point, and the import of the peer's point into a KeyObject with its redundant order check
 * (both curves have cofactor 1, so every point on the curve other than infinity has the group's order).
 */
export interface OneTimeEckaKey {
  readonly curve: CurveName;
  /** otPK, `04 ‖ X ‖ Y`, as carried in a `5F49` DO. */
  readonly publicPoint: Uint8Array;
  /**
   * ShS = X coordinate of otSK·peer (32 bytes) with the peer's `04 ‖ X ‖ Y` point, which OpenSSL checks
   * is on the curve (else InvalidPublicKeyError). The private scalar is dropped at this call, whatever its
   * outcome: a second call throws CryptoInputError.
   */
  agree(peerPoint: Uint8Array): Uint8Array;
}

/** Makes one-time keys (production: `generateOneTimeEckaKey`; tests: `fixedOneTimeEckaKeyGenerator`). */
export type OneTimeEckaKeyGenerator = (curve: CurveName) => OneTimeEckaKey;

class EcdhOneTimeKey implements OneTimeEckaKey {
  readonly publicPoint: Uint8Array;
  // A true private field: util.inspect and JSON.stringify (so loggers) never see it.
  #ecdh: ECDH | undefined;

  constructor(
    readonly curve: CurveName,
    ecdh: ECDH,
  ) {
    this.#ecdh = ecdh;
    this.publicPoint = new Uint8Array(ecdh.getPublicKey());
  }

  agree(peerPoint: Uint8Array): Uint8Array {
    const ecdh = this.#ecdh;
    if (ecdh === undefined) throw new CryptoInputError('one-time key: already used for its one key agreement');
    this.#ecdh = undefined;
    assertBytes(peerPoint, 'peer publicPoint');
    if (peerPoint.length !== uncompressedPointLength || peerPoint[0] !== 0x04) {
      throw new InvalidPublicKeyError(`peer publicPoint: expected 65 bytes 04‖X‖Y, got ${peerPoint.length} bytes`);
    }
    try {
      // node decodes the point with EC_POINT_oct2point, which refuses coordinates outside the field and
      // points that are not on the curve.
      return new Uint8Array(ecdh.computeSecret(peerPoint));
    } catch (error) {
      throw new InvalidPublicKeyError(`peer publicPoint: not a point on ${this.curve}`, { cause: error });
    }
  }
}

/** A fresh one-time key from OpenSSL's RNG. */
export function generateOneTimeEckaKey(curve: CurveName): OneTimeEckaKey {
  const ecdh = createECDH(opensslCurveName(curve));
  ecdh.generateKeys();
  return new EcdhOneTimeKey(curve, ecdh);
}

/** The one-time key of a given private scalar (32 bytes, 1 ≤ d < n): deterministic keys for tests and vectors. */
export function oneTimeEckaKeyFromScalar(curve: CurveName, scalar: Uint8Array): OneTimeEckaKey {
  return new EcdhOneTimeKey(curve, ecdhOfScalar(curve, scalar));
}

/** An ECDH object holding `scalar` (32 bytes, 1 ≤ d < n; OpenSSL refuses 0 and d ≥ n). */
function ecdhOfScalar(curve: CurveName, scalar: Uint8Array): ECDH {
  assertBytes(scalar, 'privateScalar', coordinateLength);
  const ecdh = createECDH(opensslCurveName(curve));
  try {
    ecdh.setPrivateKey(scalar);
  } catch (error) {
    throw new CryptoInputError(`privateScalar: not a valid ${curve} private key`, { cause: error });
  }
  return ecdh;
}

/** A OneTimeEckaKeyGenerator that hands out the keys of the given scalars in order, then fails. */
export function fixedOneTimeEckaKeyGenerator(scalars: readonly Uint8Array[]): OneTimeEckaKeyGenerator {
  let next = 0;
  return (curve) => {
    const scalar = scalars[next];
    if (scalar === undefined) throw new CryptoInputError(`fixedOneTimeEckaKeyGenerator: only ${scalars.length} keys given`);
    next += 1;
    return oneTimeEckaKeyFromScalar(curve, scalar);
  };
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

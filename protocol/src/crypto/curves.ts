// The two curves of SGP.22 v2.2.2 §2.6.5 and how to recognise them.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { SubjectPublicKeyInfo } from '../asn1/generated/pkix/SubjectPublicKeyInfo.js';
import { UnsupportedCurveError, CryptoInputError, InvalidPublicKeyError, assertBytes } from './errors.js';

/** An RSP curve: NIST P-256 or brainpoolP256r1. */
export type CurveName = 'P-256' | 'brainpoolP256r1';

export const curveNames: readonly CurveName[] = ['P-256', 'brainpoolP256r1'];

/** Named-curve OIDs (RFC 5480 §2.1.1.1 for P-256, RFC 5639 §4.1 for brainpoolP256r1). */
export const id_secp256r1 = '1.2.840.10045.3.1.7';
export const id_brainpoolP256r1 = '1.3.36.3.3.2.8.1.1.7';
/** id-ecPublicKey (RFC 5480 §2.1.1). */
export const id_ecPublicKey = '1.2.840.10045.2.1';

const curveOids: Record<CurveName, string> = { 'P-256': id_secp256r1, brainpoolP256r1: id_brainpoolP256r1 };
const opensslNames: Record<CurveName, string> = { 'P-256': 'prime256v1', brainpoolP256r1: 'brainpoolP256r1' };

/** DER of the named-curve OBJECT IDENTIFIER TLV, used to build SPKI and SEC1 structures. */
export const curveOidDer: Record<CurveName, Uint8Array> = {
  'P-256': Uint8Array.from([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
  brainpoolP256r1: Uint8Array.from([0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07]),
};

/** Field size in bytes (both curves: 32). */
export const coordinateLength = 32;

/** The OID of a curve, e.g. `curveOid('P-256') === '1.2.840.10045.3.1.7'`. */
export function curveOid(curve: CurveName): string {
  return curveOids[curve];
}

/** The OpenSSL name node:crypto uses (`prime256v1`, `brainpoolP256r1`). */
export function opensslCurveName(curve: CurveName): string {
  return opensslNames[curve];
}

/** The curve of a named-curve OID; throws UnsupportedCurveError for any other curve. */
export function curveFromOid(oid: string): CurveName {
  const found = curveNames.find((curve) => curveOids[curve] === oid);
  if (found === undefined) throw new UnsupportedCurveError(`curve OID ${oid} is neither P-256 nor brainpoolP256r1`);
  return found;
}

/**
 * Curves of the KeyObjects already seen. A KeyObject's key never changes, and signRaw / verifyRaw ask for
 * every signature and verification (seven per download, on the server's few signing keys and the per-download
 * eUICC key), where node's getters and the search cost more than this lookup. Weak: a key goes with its object.
 */
const curveOfKnownKey = new WeakMap<KeyObject, CurveName>();

/** The curve of an EC KeyObject (public or private); throws UnsupportedCurveError otherwise. */
export function curveOfKey(key: KeyObject): CurveName {
  const known = curveOfKnownKey.get(key);
  if (known !== undefined) return known;
  if (key.asymmetricKeyType !== 'ec') {
    throw new UnsupportedCurveError(`key type ${String(key.asymmetricKeyType ?? key.type)} is not an EC key`);
  }
  const named = key.asymmetricKeyDetails?.namedCurve;
  const found = curveNames.find((curve) => opensslNames[curve] === named || curve === named);
  if (found === undefined) throw new UnsupportedCurveError(`EC curve ${String(named)} is neither P-256 nor brainpoolP256r1`);
  curveOfKnownKey.set(key, found);
  return found;
}

/**
 * Refuses the SEC 1 encoding of the point at infinity (SEC 1 v2 §2.3.3: the single octet 00, which OpenSSL 3.0
 * accepts as a public key) before OpenSSL sees a received key. An EC public key must be a point of the curve
 * (RFC 5480 §2.2, SGP.22 v2.2.2 §2.6.5), and node aborts the whole process when it reads the details of a key at
 * infinity (its `asymmetricKeyDetails`), so such a key must never become a KeyObject. Every other malformed
 * encoding, and every point off the curve, OpenSSL refuses itself.
 */
export function assertNotInfinity(point: Uint8Array, what = 'publicPoint'): void {
  assertBytes(point, what);
  if (point.length === 0 || point[0] === 0x00) throw new InvalidPublicKeyError(`${what}: the point at infinity is not a public key`);
}

/** The public key and curve of a DER SubjectPublicKeyInfo (e.g. from a certificate). */
export function publicKeyFromSpki(spkiDer: Uint8Array): { publicKey: KeyObject; curve: CurveName } {
  let publicKey: KeyObject;
  try {
    // SEC 1's point at infinity (00) is refused before OpenSSL imports it (see assertNotInfinity).
    const { algorithm, subjectPublicKey } = SubjectPublicKeyInfo.decode(spkiDer);
    if (algorithm.algorithm === id_ecPublicKey) assertNotInfinity(subjectPublicKey.bytes, 'subjectPublicKey');
    publicKey = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch (error) {
    throw new CryptoInputError('subjectPublicKeyInfo: not a valid DER SubjectPublicKeyInfo', { cause: error });
  }
  return { publicKey, curve: curveOfKey(publicKey) };
}

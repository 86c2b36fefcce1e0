import { sign as nodeSign, type KeyObject } from 'node:crypto';
import { curveOfKey, type Curve } from './curves.js';
import { PkiUsageError } from '../errors.js';

/**
 * Anything that signs with an RSP key: a KeyObject in memory today, a PKCS#11 token later. The members
 * mirror the Signer of `@zkesim/protocol` (protocol/src/crypto/signature.ts).
 */
export interface Signer {
  /** ECDSA with SHA-256 over `data`; the signature as raw r‖s (64 bytes), the form of RSP data objects. */
  sign(data: Uint8Array): Uint8Array;
  /** The public key matching the signing key. */
  readonly publicKey: KeyObject;
  readonly curve: Curve;
}

/** A Signer over a private KeyObject (node:crypto, so OpenSSL, for both curves). */
export function createKeyObjectSigner(privateKey: KeyObject, publicKey: KeyObject): Signer {
  const curve = curveOfKey(privateKey);
  if (privateKey.type !== 'private' || curve === undefined) {
    throw new PkiUsageError('signing key must be an EC private key on prime256v1 or brainpoolP256r1');
  }
  return {
    curve,
    publicKey,
    sign: (data) => new Uint8Array(nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
}

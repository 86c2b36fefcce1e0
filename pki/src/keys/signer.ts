import type { KeyObject } from 'node:crypto';
import { KeyObjectSigner, type Signer } from '@zkesim/protocol';

/**
 * Anything that signs with an RSP key (a KeyObject today, a PKCS#11 token later): the one Signer of
 * `@zkesim/protocol` (raw r‖s `sign`, `publicKey`, `curve`). Certificates and CRLs convert its raw
 * signature to DER with protocol's `rawSignatureToDer`.
 */
export type { Signer };

/** A Signer over a private KeyObject (node:crypto, so OpenSSL, for both curves). */
export function createKeyObjectSigner(privateKey: KeyObject, publicKey?: KeyObject): Signer {
  return new KeyObjectSigner(privateKey, publicKey);
}

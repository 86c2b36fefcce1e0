// Signatures made by the eUICC with SK.EUICC.ECDSA (SGP.22 §2.6.5: ECDSA with SHA-256, raw r||s in '5F37').
import { createPrivateKey } from 'node:crypto';
import { signRaw } from '@zkesim/protocol';
import type { EuiccCredential } from './state.js';

export function signWithCredential(credential: EuiccCredential, data: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: Buffer.from(credential.privateKey), format: 'der', type: 'pkcs8' });
  return signRaw(key, data);
}

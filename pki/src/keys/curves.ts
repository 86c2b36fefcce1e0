import type { KeyObject } from 'node:crypto';
import type { CurveName as ProtocolCurveName } from '@zkesim/protocol';

/** The two curves of the RSP PKI (SGP.22 v2.2.2 §2.6.5), as `@zkesim/protocol` names them. */
export type Curve = ProtocolCurveName;

/** Short names used on the command line and in file names (SGP.26 uses NIST / BRP). */
export type CurveName = 'nist' | 'brp';

export const curveOfName: Readonly<Record<CurveName, Curve>> = { nist: 'P-256', brp: 'brainpoolP256r1' };
export const nameOfCurve: Readonly<Record<Curve, CurveName>> = { 'P-256': 'nist', brainpoolP256r1: 'brp' };
/** The names OpenSSL (and so node:crypto) uses. */
export const opensslNameOfCurve: Readonly<Record<Curve, string>> = { 'P-256': 'prime256v1', brainpoolP256r1: 'brainpoolP256r1' };

/** The curve of an EC key, or undefined when the key is not on one of the two RSP curves. */
export function curveOfKey(key: KeyObject): Curve | undefined {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  const named = key.asymmetricKeyDetails?.namedCurve;
  if (named === 'prime256v1') return 'P-256';
  return named === 'brainpoolP256r1' ? named : undefined;
}

import { join } from 'node:path';
import type { CurveLabel } from '../keys/curves.js';

/** The certificate holders of a development hierarchy, one file set each per curve. */
export const entityNames = ['ci', 'eum', 'euicc', 'dpauth', 'dppb', 'dptls', 'dsauth', 'dstls', 'operator-client'] as const;
export type EntityName = (typeof entityNames)[number];

/** The manifest written at the top of a development PKI folder. */
export const MANIFEST_FILE = 'pki.json';

export interface DevelopmentManifest {
  readonly format: 'zkesim-development-pki/1';
  readonly curves: readonly CurveLabel[];
  readonly eid: string;
  readonly permittedEins: readonly string[];
  readonly hostnames: readonly string[];
  readonly createdAt: string;
}

/** Where one entity's files live: `<dir>/<curve>/<name>.{cert.der,cert.pem,key.pem}`. */
export function entityPaths(dir: string, curve: CurveLabel, name: EntityName): { certificateDer: string; certificatePem: string; key: string } {
  const base = join(dir, curve, name);
  return { certificateDer: `${base}.cert.der`, certificatePem: `${base}.cert.pem`, key: `${base}.key.pem` };
}

/** The CI's empty CRL: `<dir>/<curve>/ci.crl.der`. */
export function crlPath(dir: string, curve: CurveLabel): string {
  return join(dir, curve, 'ci.crl.der');
}

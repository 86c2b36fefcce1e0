// Loads the eUICC's key pairs and certificate chains from the pki package: a development hierarchy
// (`zkesim pki init` layout) or the published SGP.26 test PKI (test material only).
import { createDevelopmentPki, loadDevelopmentPki, loadSgp26Pki, type PkiEntity } from '@zkesim/pki';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { subjectKeyIdentifierOf } from '../core/certificates.js';
import type { EuiccCredential } from '../core/state.js';

export interface EuiccIdentity {
  readonly eid: string;
  readonly credentials: EuiccCredential[];
  readonly trustedCiCertificates: Uint8Array[];
}

interface Hierarchy {
  readonly ci: PkiEntity;
  readonly eum: PkiEntity;
  readonly euicc: PkiEntity;
}

function credentialOf(hierarchy: Hierarchy): EuiccCredential {
  return {
    curve: hierarchy.euicc.certificate.curve,
    ciPKId: subjectKeyIdentifierOf(hierarchy.ci.certificate.der),
    euiccCertificate: Uint8Array.from(hierarchy.euicc.certificate.der),
    eumCertificate: Uint8Array.from(hierarchy.eum.certificate.der),
    privateKey: Uint8Array.from(hierarchy.euicc.privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}

function identityOf(eid: string, hierarchies: readonly Hierarchy[]): EuiccIdentity {
  return {
    eid,
    credentials: hierarchies.map(credentialOf),
    trustedCiCertificates: hierarchies.map((hierarchy) => Uint8Array.from(hierarchy.ci.certificate.der)),
  };
}

/** The SGP.26 eUICC (EID 89049032123451234512345678901235) on both curves. */
export function sgp26Identity(dir: string): EuiccIdentity {
  const nist = loadSgp26Pki(dir, 'nist');
  const brp = loadSgp26Pki(dir, 'brp');
  return identityOf(nist.eid, [nist, brp]);
}

/**
 * A development hierarchy in `dir` (both curves), created there first when `dir` holds none. With `eid` the
 * new hierarchy's eUICC certificate carries that EID.
 */
export function developmentIdentity(dir: string, eid: string | undefined, now: Date): EuiccIdentity {
  const pki = existsSync(join(dir, 'pki.json')) ? loadDevelopmentPki(dir) : createDevelopmentPki(dir, { ...(eid === undefined ? {} : { eid }), now }).pki;
  if (eid !== undefined && pki.eid !== eid) throw new Error(`the PKI in ${dir} is for EID ${pki.eid}, not ${eid}`);
  const hierarchies = Object.values(pki.hierarchies).filter((hierarchy) => hierarchy !== undefined);
  return identityOf(pki.eid, hierarchies);
}

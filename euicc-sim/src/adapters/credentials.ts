// The eUICC's key pairs and certificate chains from the pki package: a new card issued by the EUM of a
// development hierarchy (`zkesim pki init` layout, or the stack's), or the published SGP.26 test eUICC
// (test material only).
import {
  createDevelopmentPki, generateKeyPair, issueEuiccCertificate, loadDevelopmentPki, loadSgp26Pki, permittedEinsOf, serialNumberFromRandom, type PkiEntity,
} from '@zkesim/pki';
import { eidUnderPrefix, type RandomSource } from '@zkesim/protocol';
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
  readonly ci: Pick<PkiEntity, 'certificate'>;
  readonly eum: Pick<PkiEntity, 'certificate'>;
  readonly euicc: Pick<PkiEntity, 'certificate' | 'privateKey'>;
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
 * A new card on the development PKI in `dir` (created there first when `dir` holds none): per curve, a fresh
 * key pair and a CERT.EUICC issued by that curve's EUM for `eid`, or for a new EID under the EUM's first
 * permitted EIN (SGP.22 §4.5.2.1) with a serial drawn from `random`. The PKI's own eUICC certificate is not
 * reused, so every card made on one PKI (the stack's, for instance) is a distinct eUICC.
 */
export function developmentCardIdentity(dir: string, eid: string | undefined, deps: { now: Date; random: RandomSource }): EuiccIdentity {
  const pki = existsSync(join(dir, 'pki.json')) ? loadDevelopmentPki(dir) : createDevelopmentPki(dir, { now: deps.now }).pki;
  const hierarchies = Object.values(pki.hierarchies).filter((hierarchy) => hierarchy !== undefined);
  const [first] = hierarchies;
  if (first === undefined) throw new Error(`the PKI in ${dir} has no hierarchy`);
  const prefixes = permittedEinsOf(first.eum.certificate).map((permitted) => permitted.einPrefix);
  const [prefix] = prefixes;
  if (prefix === undefined) throw new Error(`the EUM certificate in ${dir} permits no EIN`);
  const cardEid = eid ?? eidUnderPrefix(prefix, deps.random);
  for (const hierarchy of hierarchies) {
    const permitted = permittedEinsOf(hierarchy.eum.certificate).map((entry) => entry.einPrefix);
    if (!permitted.some((ein) => cardEid.startsWith(ein))) throw new Error(`EID ${cardEid} is outside the EINs the EUM in ${dir} permits (${permitted.join(', ')})`);
  }
  const cards = hierarchies.map((hierarchy) => {
    const keys = generateKeyPair(hierarchy.eum.certificate.curve);
    const certificate = issueEuiccCertificate({
      serialNumber: serialNumberFromRandom(deps.random.bytes(16)),
      notBefore: new Date(deps.now.getTime() - 3600_000),
      eum: { certificate: hierarchy.eum.certificate, signer: hierarchy.eum.signer },
      publicKey: keys.publicKey,
      eid: cardEid,
      country: 'ZZ',
      commonName: 'zkesim eUICC',
    });
    return { ci: hierarchy.ci, eum: hierarchy.eum, euicc: { certificate, privateKey: keys.privateKey } };
  });
  return identityOf(cardEid, cards);
}

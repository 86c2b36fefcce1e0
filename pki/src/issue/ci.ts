import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { id_rspRole_ci } from '@zkesim/protocol';
import { buildName, type NameAttribute } from '../certificate/names.js';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import type { Signer } from '../keys/signer.js';
import { basicConstraints, crlDistributionPointsIfAny, keyUsage, registeredIdIfAny, rolePolicy, subjectKeyIdentifier } from './extensions.js';
import { issueCertificate } from './issueCertificate.js';
import type { IssueBase } from './common.js';

export interface CiOptions extends Omit<IssueBase, 'publicKey'> {
  /** The CI's own key: the CI certificate is self-signed. */
  readonly signer: Signer;
  /** e.g. `[{type:'CN',value:'Test CI'},{type:'OU',value:'TESTCERT'},{type:'O',value:'RSPTEST'},{type:'C',value:'IT'}]`. */
  readonly subject: readonly NameAttribute[];
  /** SAN registeredID identifying the CI (SGP.26 uses 2.999.1). */
  readonly registeredId?: string;
  readonly crlUrls?: readonly string[];
}

/**
 * CERT.CI.ECDSA (SGP.22 v2.2.2 §4.5.2.1): self-signed, critical basicConstraints CA:TRUE
 * without path length, critical keyUsage keyCertSign + cRLSign, critical policy id-rspRole-ci, SKI,
 * SAN registeredID and CRL distribution points.
 */
export function issueCiCertificate(options: CiOptions): RspCertificate {
  const extensions = [
    subjectKeyIdentifier(options.signer.publicKey),
    basicConstraints(true),
    rolePolicy(id_rspRole_ci),
    keyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign),
    ...registeredIdIfAny(options.registeredId),
    ...crlDistributionPointsIfAny(options.crlUrls),
  ];
  return issueCertificate(
    { ...options, subjectPublicKey: options.signer.publicKey, extensions },
    { name: buildName(options.subject), signer: options.signer },
  );
}

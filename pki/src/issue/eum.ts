import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { id_rspRole_eum } from '@zkesim/protocol';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { PkiUsageError } from '../errors.js';
import { basicConstraints, crlDistributionPointsIfAny, keyUsage, permittedEins, registeredIdIfAny, rolePolicy } from './extensions.js';
import { issueSignedByCa, type IssueBase, type IssuingCa } from './common.js';

export interface EumOptions extends IssueBase {
  readonly ci: IssuingCa;
  readonly country: string;
  /** The EUM organisation: subject O, and the O of every permitted subtree. */
  readonly organization: string;
  readonly commonName: string;
  /** EIN prefixes (digits, typically the 8-digit IIN part of the EID) the EUM may sign eUICCs for. */
  readonly permittedEins: readonly string[];
  readonly registeredId?: string;
  readonly crlUrls?: readonly string[];
}

/**
 * CERT.EUM.ECDSA (SGP.22 v2.2.2 §4.5.2.1, SGP.14): signed by the CI, critical
 * basicConstraints CA:TRUE pathLen 0, critical keyUsage keyCertSign, critical policy id-rspRole-eum,
 * AKI/SKI, SAN registeredID, CRL distribution points, and the permitted EINs as critical nameConstraints.
 */
export function issueEumCertificate(options: EumOptions): RspCertificate {
  if (options.permittedEins.length === 0) throw new PkiUsageError('an EUM needs at least one permitted EIN');
  for (const ein of options.permittedEins) {
    if (!/^[0-9]{1,32}$/.test(ein)) throw new PkiUsageError(`permitted EIN ${JSON.stringify(ein)} must be 1 to 32 digits`);
  }
  return issueSignedByCa(options.ci, {
    ...options,
    subject: [
      { type: 'C', value: options.country },
      { type: 'O', value: options.organization },
      { type: 'CN', value: options.commonName },
    ],
    extensions: [
      keyUsage(KeyUsageFlags.keyCertSign),
      rolePolicy(id_rspRole_eum),
      ...registeredIdIfAny(options.registeredId),
      basicConstraints(true, 0),
      ...crlDistributionPointsIfAny(options.crlUrls),
      permittedEins(options.organization, options.permittedEins),
    ],
  });
}

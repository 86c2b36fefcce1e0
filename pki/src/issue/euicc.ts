import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { id_rspRole_euicc } from '@zkesim/protocol';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { attributeValues } from '../certificate/names.js';
import { PkiUsageError } from '../errors.js';
import { keyUsage, rolePolicy } from './extensions.js';
import { issueSignedByCa, type IssueBase, type IssuingCa } from './common.js';

/**
 * notAfter of an eUICC certificate: "no well-defined expiration date", RFC 5280 §4.1.2.5's
 * 99991231235959Z (SGP.22 v2.2.2 §4.5.2.1; the SGP.26 card uses year 7496 for the same purpose).
 */
export const NO_WELL_DEFINED_EXPIRY = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));

export interface EuiccOptions extends Omit<IssueBase, 'notAfter'> {
  readonly eum: IssuingCa;
  /** 32 decimal digits (SGP.02/SGP.29 EID). */
  readonly eid: string;
  readonly country: string;
  readonly commonName: string;
  /** Defaults to the EUM's own O, which the EUM's permitted subtree requires. */
  readonly organization?: string;
  readonly notAfter?: Date;
}

/**
 * CERT.EUICC.ECDSA (SGP.22 v2.2.2 §4.5.2.1, SGP.14): signed by the EUM, subject
 * `{C, O (= the EUM's O), serialNumber = EID, CN}`, critical keyUsage digitalSignature, critical policy
 * id-rspRole-euicc, AKI/SKI, no basicConstraints and no CRL distribution point.
 */
export function issueEuiccCertificate(options: EuiccOptions): RspCertificate {
  if (!/^[0-9]{32}$/.test(options.eid)) throw new PkiUsageError(`EID must be 32 digits, got ${JSON.stringify(options.eid)}`);
  const organization = options.organization ?? attributeValues(options.eum.certificate.tbsCertificate.subject, 'O')[0];
  if (organization === undefined) throw new PkiUsageError('the EUM certificate has no O to copy into the eUICC subject');
  return issueSignedByCa(options.eum, {
    ...options,
    notAfter: options.notAfter ?? NO_WELL_DEFINED_EXPIRY,
    subject: [
      { type: 'C', value: options.country },
      { type: 'O', value: organization },
      { type: 'serialNumber', value: options.eid },
      { type: 'CN', value: options.commonName },
    ],
    extensions: [keyUsage(KeyUsageFlags.digitalSignature), rolePolicy(id_rspRole_euicc)],
  });
}

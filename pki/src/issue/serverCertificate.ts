import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { id_kp_clientAuth } from '@zkesim/protocol';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import type { CertificateRole } from '../errors.js';
import { roleProfiles } from '../roles.js';
import { PkiUsageError } from '../errors.js';
import { crlDistributionPointsIfAny, extendedKeyUsage, keyUsage, rolePolicy, subjectAltName } from './extensions.js';
import { issueSignedByCa, type IssueBase, type IssuingCa } from './common.js';

export interface ServerCertificateOptions extends IssueBase {
  readonly ci: IssuingCa;
  readonly organization: string;
  readonly commonName: string;
  /** The server's OID (SAN registeredID): the SM-DP+ OID of DPauth/DPpb, SGP.22 v2.2.2 §4.5.2.1. */
  readonly registeredId: string;
  /** TLS roles: the FQDNs (SAN dNSName) clients check the server's host name against. */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly crlUrls?: readonly string[];
}

/**
 * An SM-DP+ or SM-DS certificate (SGP.22 v2.2.2 §4.5.2.1): signed by the CI, no
 * basicConstraints, critical keyUsage digitalSignature, critical role policy, AKI/SKI, SAN with the
 * server OID (and dNSName for TLS), CRL distribution points. TLS certificates carry EKU serverAuth and,
 * as the SGP.26 DPtls certificates do, clientAuth for the ES12/ES2+ mutual-TLS client side.
 */
export function issueServerCertificate(role: Exclude<CertificateRole, 'euicc' | 'client'>, options: ServerCertificateOptions): RspCertificate {
  const profile = roleProfiles[role];
  if (profile.policy === undefined) throw new PkiUsageError(`role ${role} has no RSP role policy`);
  const isTls = profile.extendedKeyUsage.length > 0;
  return issueSignedByCa(options.ci, {
    ...options,
    subject: [
      { type: 'O', value: options.organization },
      { type: 'CN', value: options.commonName },
    ],
    extensions: [
      subjectAltName({
        registeredId: options.registeredId,
        ...(isTls ? { dnsNames: options.dnsNames ?? [], ipAddresses: options.ipAddresses ?? [] } : {}),
      }),
      keyUsage(KeyUsageFlags.digitalSignature),
      ...(isTls ? [extendedKeyUsage([...profile.extendedKeyUsage, id_kp_clientAuth])] : []),
      rolePolicy(profile.policy),
      ...crlDistributionPointsIfAny(options.crlUrls),
    ],
  });
}

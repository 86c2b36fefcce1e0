import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { id_kp_clientAuth } from '@zkesim/protocol';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { authorityKeyIdentifier, extendedKeyUsage, keyUsage, subjectKeyIdentifier } from './extensions.js';
import { issueCertificate, issuerOf } from './issueCertificate.js';
import { authorityKeyIdOf, type IssueBase, type IssuingCa } from './common.js';

export interface ClientCertificateOptions extends IssueBase {
  readonly ci: IssuingCa;
  readonly organization: string;
  readonly commonName: string;
}

/**
 * A mutual-TLS client certificate for ES2+ (operator → SM-DP+) and ES12 (SM-DP+ → SM-DS), SGP.22 v2.2.2
 * §2.6.6. SPEC-AMBIGUITY: the spec leaves this certificate to the parties; we issue it under our CI with
 * keyUsage digitalSignature and EKU clientAuth, and no RSP role policy (there is no id-rspRole for it).
 */
export function issueClientCertificate(options: ClientCertificateOptions): RspCertificate {
  const extensions = [
    authorityKeyIdentifier(authorityKeyIdOf(options.ci)),
    subjectKeyIdentifier(options.publicKey),
    keyUsage(KeyUsageFlags.digitalSignature),
    extendedKeyUsage([id_kp_clientAuth]),
  ];
  const subject = [
    { type: 'O', value: options.organization },
    { type: 'CN', value: options.commonName },
  ] as const;
  return issueCertificate(
    { ...options, subject, subjectPublicKey: options.publicKey, extensions },
    issuerOf(options.ci.certificate, options.ci.signer),
  );
}

import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { id_kp_clientAuth } from '@zkesim/protocol';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { extendedKeyUsage, keyUsage } from './extensions.js';
import { issueSignedByCa, type IssueBase, type IssuingCa } from './common.js';

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
  return issueSignedByCa(options.ci, {
    ...options,
    subject: [
      { type: 'O', value: options.organization },
      { type: 'CN', value: options.commonName },
    ],
    extensions: [keyUsage(KeyUsageFlags.digitalSignature), extendedKeyUsage([id_kp_clientAuth])],
  });
}

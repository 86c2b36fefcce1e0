import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { id_kp_serverAuth } from '@zkesim/protocol';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { extendedKeyUsage, keyUsage, subjectAltName } from './extensions.js';
import { issueSignedByCa, type IssueBase, type IssuingCa } from './common.js';

export interface WebServerCertificateOptions extends IssueBase {
  readonly ci: IssuingCa;
  readonly organization: string;
  readonly commonName: string;
  /** The names clients check the server's host name against (SAN dNSName / iPAddress, RFC 6125). */
  readonly dnsNames: readonly string[];
  readonly ipAddresses?: readonly string[];
}

/**
 * A plain HTTPS server certificate for a service outside SGP.22's roles (the operator component's own APIs in
 * the development stack): keyUsage digitalSignature, EKU serverAuth, SAN with the host names; no RSP role policy
 * and no registeredID, so no eUICC or LPA can take it for an SM-DP+ or SM-DS. In production such a service has a
 * certificate from a public web CA instead.
 */
export function issueWebServerCertificate(options: WebServerCertificateOptions): RspCertificate {
  return issueSignedByCa(options.ci, {
    ...options,
    subject: [
      { type: 'O', value: options.organization },
      { type: 'CN', value: options.commonName },
    ],
    extensions: [
      subjectAltName({ dnsNames: options.dnsNames, ipAddresses: options.ipAddresses ?? [] }),
      keyUsage(KeyUsageFlags.digitalSignature),
      extendedKeyUsage([id_kp_serverAuth]),
    ],
  });
}

import type { RspCertificate } from '../certificate/RspCertificate.js';
import { issueServerCertificate, type ServerCertificateOptions } from './serverCertificate.js';

/** CERT.DSauth.ECDSA: signs the SM-DS's serverSigned1 in ES11 (SGP.22 v2.2.2 §4.5.2.1). */
export function issueDsAuthCertificate(options: ServerCertificateOptions): RspCertificate {
  return issueServerCertificate('dsauth', options);
}

/** CERT.DS.TLS: the ES11/ES12 server certificate (SGP.22 v2.2.2 §2.6.6). */
export function issueDsTlsCertificate(options: ServerCertificateOptions): RspCertificate {
  return issueServerCertificate('dstls', options);
}

import type { RspCertificate } from '../certificate/RspCertificate.js';
import { issueServerCertificate, type ServerCertificateOptions } from './serverCertificate.js';

/** CERT.DPauth.ECDSA: signs serverSigned1 in ES9+.InitiateAuthentication (SGP.22 v2.2.2 §4.5.2.1). */
export function issueDpAuthCertificate(options: ServerCertificateOptions): RspCertificate {
  return issueServerCertificate('dpauth', options);
}

/** CERT.DPpb.ECDSA: signs smdpSigned2 and the BPP's initialiseSecureChannel (SGP.22 v2.2.2 §4.5.2.1). */
export function issueDpPbCertificate(options: ServerCertificateOptions): RspCertificate {
  return issueServerCertificate('dppb', options);
}

/** CERT.DP.TLS: the ES9+ server certificate, also the ES12 client certificate (SGP.22 v2.2.2 §2.6.6). */
export function issueDpTlsCertificate(options: ServerCertificateOptions): RspCertificate {
  return issueServerCertificate('dptls', options);
}

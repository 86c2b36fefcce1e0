// Checks of RSP server certificates by the eUICC (SGP.22 §5.7.13 AuthenticateServer step 1, §5.7.5
// PrepareDownload): the chain to the CI selected by euiccCiPKIdToBeUsed, the role policy, validity and the
// CRLs loaded with ES10b.LoadCRL, all through the pki package's rule-by-rule validator.
import { CertificateFormatError, CertificateRuleError, parseCertificate, parseCrl, validateChain, type RspCertificate } from '@zkesim/pki';
import type { KeyObject } from 'node:crypto';
import { bytesEqual } from '@zkesim/protocol';
import { subjectKeyIdentifierOf } from './certificates.js';
import type { EuiccState } from './state.js';

export type ServerCertificateProblem = 'ciPKUnknown' | 'invalidCertificate' | 'invalidOid' | 'unsupportedCurve';

export type ServerCertificateCheck =
  | { readonly ok: true; readonly publicKey: KeyObject; readonly certificate: RspCertificate }
  | { readonly ok: false; readonly problem: ServerCertificateProblem; readonly detail: string };

export function trustedCiFor(state: EuiccState, ciPKId: Uint8Array): Uint8Array | undefined {
  return state.trustedCiCertificates.find((ci) => bytesEqual(subjectKeyIdentifierOf(ci), ciPKId));
}

/** Validates `certificateDer` for `role` up to the trusted CI whose key identifier is `ciPKId`. */
export function checkServerCertificate(state: EuiccState, certificateDer: Uint8Array, ciPKId: Uint8Array, role: 'dpauth' | 'dsauth' | 'dppb', at: Date): ServerCertificateCheck {
  const ciDer = trustedCiFor(state, ciPKId);
  if (ciDer === undefined) return { ok: false, problem: 'ciPKUnknown', detail: 'no trusted CI with this key identifier' };
  let certificate: RspCertificate;
  try {
    certificate = parseCertificate(certificateDer);
  } catch (error) {
    if (!(error instanceof CertificateFormatError)) throw error;
    // parseCertificate refuses keys that are neither on P-256 nor brainpoolP256r1.
    const problem = /curve|P-256|brainpool/i.test(error.message) ? 'unsupportedCurve' : 'invalidCertificate';
    return { ok: false, problem, detail: error.message };
  }
  try {
    validateChain({ certificate, trustedCis: [parseCertificate(ciDer)], role, at, crls: state.crls.map((crl) => parseCrl(crl)) });
  } catch (error) {
    if (!(error instanceof CertificateRuleError)) throw error;
    if (error.rule === 'unknown-ci') return { ok: false, problem: 'ciPKUnknown', detail: error.message };
    // SPEC-AMBIGUITY: SGP.22 names invalidOid(5) without saying which OID; we use it for a certificate that
    // lacks the role policy OID (id-rspRole-dp-auth / -ds-auth / -dp-pb), and invalidCertificate(1) for every other rule.
    if (error.rule === 'role-policy') return { ok: false, problem: 'invalidOid', detail: error.message };
    return { ok: false, problem: 'invalidCertificate', detail: error.message };
  }
  return { ok: true, publicKey: certificate.publicKey, certificate };
}

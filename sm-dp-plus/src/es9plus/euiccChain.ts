// The eUICC → EUM → CI chain check of ES9+.AuthenticateClient (SGP.22 v2.2.2 §5.6.3), through @zkesim/pki
// (rules include the SGP.22 EID-prefix reading of the EUM's name constraints and the CRLs), mapped to
// the spec's subject and reason codes.
import { CertificateFormatError, CertificateRuleError, eidOf, parseCertificate, validateChain, type RspCertificate } from '@zkesim/pki';
import { Codes, RspError, derOf, eidDigits, type AuthenticateResponseOk, type StatusCode, type EidDigits } from '@zkesim/protocol';
import type { Es9Context, SmdpCredential } from './context.js';

export interface VerifiedEuicc {
  euicc: RspCertificate;
  eid: EidDigits;
}

export function verifyEuiccChain(ctx: Es9Context, credential: SmdpCredential, ok: AuthenticateResponseOk, now: number): VerifiedEuicc {
  const euicc = parseOrRefuse(() => parseCertificate(derOf(ok.euiccCertificate)), Codes.euiccCertificateInvalid);
  const eum = parseOrRefuse(() => ctx.eumCertificates.parse(derOf(ok.eumCertificate)), Codes.eumCertificateInvalid);
  try {
    validateChain({ certificate: euicc, intermediates: [eum], trustedCis: [credential.ci], role: 'euicc', at: new Date(now), crls: ctx.crls });
  } catch (error) {
    if (error instanceof CertificateRuleError) {
      // pki maps each rule to the AuthenticateClient codes (8.1.2 / 8.1.3 / 8.1.4 / 8.11.1 with 6.1, 6.3, 3.9).
      const code: StatusCode = { subjectCode: error.subjectCode, reasonCode: error.reasonCode };
      throw new RspError(code, error.message, { subjectIdentifier: 'authenticateServerResponse', cause: error });
    }
    throw error;
  }
  const eid = eidOf(euicc);
  if (eid === undefined) throw new RspError(Codes.euiccCertificateInvalid, 'the eUICC certificate carries no EID');
  try {
    return { euicc, eid: eidDigits(eid) };
  } catch (error) {
    throw new RspError(Codes.euiccCertificateInvalid, `the eUICC certificate's EID is malformed`, { cause: error });
  }
}

function parseOrRefuse(parse: () => RspCertificate, code: StatusCode): RspCertificate {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CertificateFormatError || error instanceof TypeError) {
      throw new RspError(code, error.message, { subjectIdentifier: 'authenticateServerResponse', cause: error });
    }
    throw error;
  }
}

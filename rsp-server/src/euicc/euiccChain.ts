// The eUICC → EUM → CI chain check that ES9+.AuthenticateClient (SGP.22 v2.2.2 §5.6.3) and
// ES11.AuthenticateClient (§5.8.2) both run, through @zkesim/pki (its rules include the SGP.22 EID-prefix
// reading of the EUM's name constraints and the CRLs), mapped to the spec's subject and reason codes.
import { CertificateFormatError, CertificateRuleError, eidOf, parseCertificate, validateChain, type RspCertificate, type RspCrl } from '@zkesim/pki';
import { Codes, RspError, eidDigits, type EidDigits, type StatusCode } from '@zkesim/protocol';
import type { CertificateCache } from './certificateCache.js';

export interface EuiccChainInput {
  /** DER of CERT.EUICC.ECDSA and CERT.EUM.ECDSA as received (authenticateServerResponse). */
  euiccCertificate: Uint8Array;
  eumCertificate: Uint8Array;
  /** The CI the eUICC chain must end at (the one whose key id the server chose in InitiateAuthentication). */
  ci: RspCertificate;
  crls: readonly RspCrl[];
  /** Parsed EUM certificates by DER (every eUICC of one maker sends the same one). */
  eumCertificates: CertificateCache;
  now: number;
}

export interface VerifiedEuicc {
  euicc: RspCertificate;
  /** The EID from the eUICC certificate's subject serialNumber, with valid check digits. */
  eid: EidDigits;
}

export function verifyEuiccChain(input: EuiccChainInput): VerifiedEuicc {
  const euicc = parseOrRefuse(() => parseCertificate(input.euiccCertificate), Codes.euiccCertificateInvalid);
  const eum = parseOrRefuse(() => input.eumCertificates.parse(input.eumCertificate), Codes.eumCertificateInvalid);
  try {
    validateChain({ certificate: euicc, intermediates: [eum], trustedCis: [input.ci], role: 'euicc', at: new Date(input.now), crls: input.crls });
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

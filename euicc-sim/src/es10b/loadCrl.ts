// ES10b.LoadCRL (SGP.22 §5.7.12): a CRL from a CI this eUICC trusts, checked over its received TBSCertList,
// is kept and applied to every later RSP server certificate check (AuthenticateServer, PrepareDownload).
import { CertificateFormatError, checkCrl, parseCertificate, parseCrl, type RspCrl } from '@zkesim/pki';
import { LoadCRLRequest, LoadCRLResponse, LoadCRLResponseError, bytesEqual, derOf } from '@zkesim/protocol';
import { authorityKeyIdentifierOfCrl, subjectKeyIdentifierOf } from '../core/certificates.js';
import type { Es10Handler } from '../core/euicc.js';
import { decodeRequest } from '../core/requestCodec.js';

/** SGP.22 LoadCRLResponseError, named as in RSPDefinitions. */
const error = LoadCRLResponseError.named;
/** CRLs kept at once; a new CRL of the same CI replaces the old one. */
const MAX_CRLS = 8;

export const loadCrl: Es10Handler = (request, context) => {
  const { crl } = decodeRequest(LoadCRLRequest, request);
  const answerError = (code: number): Uint8Array => LoadCRLResponse.encode({ loadCRLResponseError: code });
  const crlDer = universalCrlDer(derOf(crl));
  let parsed: RspCrl;
  let issuerKeyId: Uint8Array | undefined;
  try {
    parsed = parseCrl(crlDer);
    issuerKeyId = authorityKeyIdentifierOfCrl(crlDer);
  } catch (cause) {
    if (cause instanceof CertificateFormatError) return answerError(error.invalidCRLFormat);
    throw cause;
  }
  if (issuerKeyId === undefined) return answerError(error.verificationKeyNotFound);
  const issuerId = issuerKeyId;
  const issuer = context.state.trustedCiCertificates.find((ci) => bytesEqual(subjectKeyIdentifierOf(ci), issuerId));
  if (issuer === undefined) return answerError(error.verificationKeyNotFound);
  const problem = checkCrl(parsed, parseCertificate(issuer), new Date(context.deps.clock.now()));
  // SPEC-AMBIGUITY: SGP.22 has no error code for a stale CRL; we answer undefinedError(127) for it.
  if (problem !== undefined) return answerError(problem.rule === 'crl-signature' ? error.invalidSignature : error.undefinedError);
  const others = context.state.crls.filter((stored) => {
    const storedIssuer = authorityKeyIdentifierOfCrl(stored);
    return storedIssuer === undefined || !bytesEqual(storedIssuer, issuerId);
  });
  context.commit({ ...context.state, crls: [...others, crlDer].slice(-MAX_CRLS) });
  // SPEC-AMBIGUITY: partial CRLs (id-rsp-totalPartialCrlNumber) are stored like complete ones; no missingParts.
  return LoadCRLResponse.encode({ loadCRLResponseOk: {} });
};

/**
 * RSPDefinitions has AUTOMATIC TAGS and LoadCRLRequest's only component is untagged, so `crl` travels as
 * [0] IMPLICIT ('A0'). The CRL itself is the same TLV with its universal SEQUENCE tag ('30'); only that tag
 * byte differs, and the signature (over the inner TBSCertList) is unaffected.
 */
function universalCrlDer(received: Uint8Array): Uint8Array {
  const der = Uint8Array.from(received);
  der[0] = 0x30;
  return der;
}

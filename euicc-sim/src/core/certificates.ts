// Small reads from X.509 certificates the eUICC needs (RFC 5280 §4.2.1.1 / §4.2.1.2 key identifiers).
import {
  AuthorityKeyIdentifier, Certificate, CertificateList, SubjectAltName, SubjectKeyIdentifier, id_ce_authorityKeyIdentifier, id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
} from '@zkesim/protocol';

export class CertificateContentError extends Error {
  override readonly name = 'CertificateContentError';
}

export function subjectKeyIdentifierOf(certificateDer: Uint8Array): Uint8Array {
  return SubjectKeyIdentifier.decode(extensionValue(certificateDer, id_ce_subjectKeyIdentifier));
}

export function authorityKeyIdentifierOf(certificateDer: Uint8Array): Uint8Array {
  const { keyIdentifier } = AuthorityKeyIdentifier.decode(extensionValue(certificateDer, id_ce_authorityKeyIdentifier));
  if (keyIdentifier === undefined) throw new CertificateContentError('AuthorityKeyIdentifier has no keyIdentifier');
  return keyIdentifier;
}

function extensionValue(certificateDer: Uint8Array, extnID: string): Uint8Array {
  const certificate = Certificate.decode(certificateDer);
  const extension = certificate.tbsCertificate.extensions?.find((candidate) => candidate.extnID === extnID);
  if (extension === undefined) throw new CertificateContentError(`certificate has no extension ${extnID}`);
  return extension.extnValue;
}

/** The registeredID in the SubjectAltName: the SM-DP+ OID of CERT.DPauth / CERT.DPpb (SGP.22 §4.5.2.x). */
export function registeredIdOf(certificateDer: Uint8Array): string | undefined {
  const certificate = Certificate.decode(certificateDer);
  const extension = certificate.tbsCertificate.extensions?.find((candidate) => candidate.extnID === id_ce_subjectAltName);
  if (extension === undefined) return undefined;
  for (const name of SubjectAltName.decode(extension.extnValue)) {
    if ('registeredID' in name) return name.registeredID;
  }
  return undefined;
}

/** The keyIdentifier of a CRL's AuthorityKeyIdentifier extension (RFC 5280 §5.2.1), if present. */
export function authorityKeyIdentifierOfCrl(crlDer: Uint8Array): Uint8Array | undefined {
  const crl = CertificateList.decode(crlDer);
  const extension = crl.tbsCertList.crlExtensions?.find((candidate) => candidate.extnID === id_ce_authorityKeyIdentifier);
  return extension === undefined ? undefined : AuthorityKeyIdentifier.decode(extension.extnValue).keyIdentifier;
}

import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  Certificate, UnsupportedCurveError, Version, curveOfKey, derOf, type AlgorithmIdentifier, type BitString, type CurveName,
  type TBSCertificate,
} from '@zkesim/protocol';
import { CertificateFormatError } from '../errors.js';
import { assertCanonicalDer, assertWholeOctets, dateOfTime, firstTlvLength, serialNumberBytes } from './der.js';

/**
 * A parsed X.509 certificate of the RSP PKI, decoded once with protocol's generated PKIX codec
 * (`Certificate`, RFC 5280 §4.1). `tbsDer` holds the exact received TBSCertificate bytes: signatures are
 * checked over them, never over a re-encoding, which need not give back the bytes that were signed.
 */
export interface RspCertificate {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  /** The decoded fields (protocol's `TBSCertificate`; `derOf` works on its parts). */
  readonly tbsCertificate: TBSCertificate;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: BitString;
  readonly publicKey: KeyObject;
  readonly curve: CurveName;
  /** Contents octets of serialNumber (two's complement, as encoded). */
  readonly serialNumber: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Parses one DER certificate; throws CertificateFormatError on any structural problem. */
export function parseCertificate(der: Uint8Array): RspCertificate {
  const length = firstTlvLength(der);
  if (length <= 0) throw new CertificateFormatError('certificate is not a DER TLV');
  if (length !== der.length) throw new CertificateFormatError(`${der.length - length} trailing bytes after the certificate`);
  const decoded = assertCanonicalDer(Certificate, der, 'certificate');
  const { tbsCertificate, signatureAlgorithm, signature } = decoded;
  assertWholeOctets(signature, 'signature');
  assertWholeOctets(tbsCertificate.subjectPublicKeyInfo.subjectPublicKey, 'subjectPublicKey');
  // RFC 5280 §4.1.2.1: extensions need v3; the RSP profiles are all v3 (SGP.22 v2.2.2 §4.5.2).
  const version = tbsCertificate.version ?? Version.named.v1;
  if (version !== Version.named.v3) throw new CertificateFormatError(`version must be v3, got v${version + 1}`);
  const publicKey = publicKeyOf(tbsCertificate);
  let curve: CurveName;
  try {
    curve = curveOfKey(publicKey);
  } catch (error) {
    if (error instanceof UnsupportedCurveError) throw new CertificateFormatError(`subject key: ${error.message}`, { cause: error });
    throw error;
  }
  const copy = new Uint8Array(der);
  return {
    der: copy,
    tbsDer: derOf(tbsCertificate),
    tbsCertificate,
    signatureAlgorithm,
    signature,
    publicKey,
    curve,
    serialNumber: serialNumberBytes(tbsCertificate.serialNumber),
    notBefore: dateOfTime(tbsCertificate.validity.notBefore, 'notBefore'),
    notAfter: dateOfTime(tbsCertificate.validity.notAfter, 'notAfter'),
  };
}

function publicKeyOf(tbsCertificate: TBSCertificate): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(derOf(tbsCertificate.subjectPublicKeyInfo)), format: 'der', type: 'spki' });
  } catch (error) {
    throw new CertificateFormatError(`subjectPublicKeyInfo is not a usable key: ${(error as Error).message}`, { cause: error });
  }
}

import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  Certificate, UnsupportedCurveError, Version, assertNotInfinity, bytesEqual, curveOfKey, curveOidDer, decodeUncompressedPoint, derOf, id_ecPublicKey,
  uncompressedPointLength, type AlgorithmIdentifier, type BitString, type CurveName, type TBSCertificate,
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
  const { algorithm, subjectPublicKey } = tbsCertificate.subjectPublicKeyInfo;
  try {
    // A P-256 named-curve key (RFC 5480 §2.1.1, §2.2) through protocol's point decoding: the same on-curve
    // check, without OpenSSL 3's generic SPKI decoders, which cost about as much as an ECDSA verification.
    const point = subjectPublicKey.bytes;
    // Never a key at infinity (SEC 1's 00), which OpenSSL 3.0 would import and node then aborts on: protocol's assertNotInfinity.
    if (algorithm.algorithm === id_ecPublicKey) assertNotInfinity(point, 'subjectPublicKey');
    if (algorithm.algorithm === id_ecPublicKey && algorithm.parameters !== undefined && bytesEqual(algorithm.parameters, curveOidDer['P-256']) && point.length === uncompressedPointLength) {
      return decodeUncompressedPoint('P-256', point);
    }
    return createPublicKey({ key: Buffer.from(derOf(tbsCertificate.subjectPublicKeyInfo)), format: 'der', type: 'spki' });
  } catch (error) {
    throw new CertificateFormatError(`subjectPublicKeyInfo is not a usable key: ${(error as Error).message}`, { cause: error });
  }
}

import { createPublicKey, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type Extension, type Name } from '@peculiar/asn1-x509';
import { UnsupportedCurveError, curveOfKey } from '@zkesim/protocol';
import type { CurveName } from '@zkesim/protocol';
import { CertificateFormatError } from '../errors.js';
import { Certificate as CertificateCodec } from '@zkesim/protocol';
import { assertCanonicalDer, assertWholeOctets, bytesOf, firstTlvLength } from './der.js';

/**
 * A parsed X.509 certificate of the RSP PKI. `tbsDer` holds the exact received TBSCertificate bytes:
 * signatures are checked over them, never over a re-encoding (STYLE "Keep the raw bytes that are signed").
 */
export interface RspCertificate {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  readonly certificate: Certificate;
  readonly publicKey: KeyObject;
  readonly curve: CurveName;
  /** Contents octets of serialNumber (two's complement, as encoded). */
  readonly serialNumber: Uint8Array;
  readonly subject: Name;
  readonly issuer: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly Extension[];
}

/** Parses one DER certificate; throws CertificateFormatError on any structural problem. */
export function parseCertificate(der: Uint8Array): RspCertificate {
  const length = firstTlvLength(der);
  if (length <= 0) throw new CertificateFormatError('certificate is not a DER TLV');
  if (length !== der.length) throw new CertificateFormatError(`${der.length - length} trailing bytes after the certificate`);
  const decoded = assertCanonicalDer(CertificateCodec, der, 'certificate');
  assertWholeOctets(decoded.signature, 'signature');
  assertWholeOctets(decoded.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey, 'subjectPublicKey');
  let certificate: Certificate;
  try {
    certificate = AsnConvert.parse(der, Certificate);
  } catch (error) {
    throw new CertificateFormatError(`not an X.509 certificate: ${(error as Error).message}`, { cause: error });
  }
  const tbs = certificate.tbsCertificate;
  if (certificate.tbsCertificateRaw === undefined) throw new CertificateFormatError('tbsCertificate bytes missing');
  if (tbs.version !== 2) throw new CertificateFormatError(`version must be v3, got v${tbs.version + 1}`);
  const publicKey = publicKeyOf(certificate);
  let curve: CurveName;
  try {
    curve = curveOfKey(publicKey);
  } catch (error) {
    if (error instanceof UnsupportedCurveError) throw new CertificateFormatError(`subject key: ${error.message}`, { cause: error });
    throw error;
  }
  return {
    der: new Uint8Array(der),
    tbsDer: bytesOf(certificate.tbsCertificateRaw),
    certificate,
    publicKey,
    curve,
    serialNumber: bytesOf(tbs.serialNumber),
    subject: tbs.subject,
    issuer: tbs.issuer,
    notBefore: timeOf(() => tbs.validity.notBefore.getTime()),
    notAfter: timeOf(() => tbs.validity.notAfter.getTime()),
    extensions: tbs.extensions ?? [],
  };
}

function publicKeyOf(certificate: Certificate): KeyObject {
  try {
    const spki = AsnConvert.serialize(certificate.tbsCertificate.subjectPublicKeyInfo);
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (error) {
    throw new CertificateFormatError(`subjectPublicKeyInfo is not a usable key: ${(error as Error).message}`, { cause: error });
  }
}

function timeOf(read: () => Date): Date {
  let date: Date;
  try {
    date = read();
  } catch (error) {
    throw new CertificateFormatError('validity time missing', { cause: error });
  }
  if (Number.isNaN(date.getTime())) throw new CertificateFormatError('validity time is not a valid date');
  return date;
}

// The @peculiar/asn1-x509 views that RspCertificate and RspCrl exported before parsing moved to protocol's
// generated PKIX codecs. Validation never reads them; they are parsed on first read only, so that code
// written against the old shape keeps working without every parse paying for a second decoder.
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, CertificateList } from '@peculiar/asn1-x509';
import { CertificateFormatError } from '../errors.js';
import type { RspCertificate } from './RspCertificate.js';
import type { RspCrl } from '../crl/RspCrl.js';

type LegacyCertificateFields = 'certificate' | 'subject' | 'issuer' | 'extensions';
type LegacyCrlFields = 'crl' | 'issuer' | 'extensions';

function once<T>(parse: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= parse();
    return value;
  };
}

function parseWith<T>(der: Uint8Array, type: new () => T, what: string): T {
  try {
    return AsnConvert.parse(der, type);
  } catch (error) {
    // Unreachable for bytes that passed the protocol decode; reported rather than hidden if it happens.
    throw new CertificateFormatError(`asn1-x509 cannot read this ${what}: ${(error as Error).message}`, { cause: error });
  }
}

/** `fields` plus the lazily parsed asn1-x509 fields of the certificate `der`. */
export function legacyCertificateView(der: Uint8Array, fields: Omit<RspCertificate, LegacyCertificateFields>): RspCertificate {
  const certificate = once(() => parseWith(der, Certificate, 'certificate'));
  return {
    ...fields,
    get certificate() {
      return certificate();
    },
    get subject() {
      return certificate().tbsCertificate.subject;
    },
    get issuer() {
      return certificate().tbsCertificate.issuer;
    },
    get extensions() {
      return certificate().tbsCertificate.extensions ?? [];
    },
  };
}

/** `fields` plus the lazily parsed asn1-x509 fields of the CRL `der`. */
export function legacyCrlView(der: Uint8Array, fields: Omit<RspCrl, LegacyCrlFields>): RspCrl {
  const crl = once(() => parseWith(der, CertificateList, 'CRL'));
  return {
    ...fields,
    get crl() {
      return crl();
    },
    get issuer() {
      return crl().tbsCertList.issuer;
    },
    get extensions() {
      return crl().tbsCertList.crlExtensions ?? [];
    },
  };
}

import type { KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, Certificate, Extension, Extensions, Name, SubjectPublicKeyInfo, TBSCertificate, Validity, Version,
} from '@peculiar/asn1-x509';
import { parseCertificate, type RspCertificate } from '../certificate/RspCertificate.js';
import { buildName, x509NameOf, type NameAttribute } from '../certificate/names.js';
import { rawSignatureToDer } from '@zkesim/protocol';
import type { Signer } from '../keys/signer.js';
import { ecdsa_with_SHA256 } from '../oids.js';
import { PkiUsageError } from '../errors.js';

/** What goes into one certificate; the profile functions in this folder fill it per role. */
export interface CertificateTemplate {
  /** Positive INTEGER contents, minimal (see `serialNumberFromRandom`). */
  readonly serialNumber: Uint8Array;
  readonly subject: readonly NameAttribute[];
  readonly subjectPublicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly Extension[];
}

/** The issuing side: its name (the subject for a self-signed CI) and its signing key. */
export interface Issuer {
  readonly name: Name;
  readonly signer: Signer;
}

/** The issuer data of an existing CA certificate and its signer. */
export function issuerOf(certificate: RspCertificate, signer: Signer): Issuer {
  return { name: x509NameOf(certificate.tbsCertificate.subject), signer };
}

/**
 * A positive, minimal serialNumber from random bytes (RFC 5280 §4.1.2.2: at most 20 octets, positive).
 * The top bit is cleared (positive) and the next one set (so no leading zero octet is needed).
 */
export function serialNumberFromRandom(random: Uint8Array): Uint8Array {
  if (random.length < 8 || random.length > 20) throw new PkiUsageError('serial number randomness must be 8 to 20 bytes');
  const serial = new Uint8Array(random);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

export function subjectPublicKeyInfoOf(publicKey: KeyObject): SubjectPublicKeyInfo {
  return AsnConvert.parse(publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);
}

/**
 * Builds the TBSCertificate (X.509 v3, ecdsa-with-SHA256, SGP.22 v2.2.2 §4.5.2), signs its DER with the
 * issuer's Signer and assembles the certificate. Times from 2050 on become GeneralizedTime (RFC 5280
 * §4.1.2.5), which the eUICC profile's open-ended notAfter needs.
 */
export function issueCertificate(template: CertificateTemplate, issuer: Issuer): RspCertificate {
  if (template.notAfter.getTime() <= template.notBefore.getTime()) throw new PkiUsageError('notAfter must be after notBefore');
  const algorithm = new AlgorithmIdentifier({ algorithm: ecdsa_with_SHA256 });
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: template.serialNumber.slice().buffer,
    signature: algorithm,
    issuer: issuer.name,
    validity: new Validity({ notBefore: template.notBefore, notAfter: template.notAfter }),
    subject: buildName(template.subject),
    subjectPublicKeyInfo: subjectPublicKeyInfoOf(template.subjectPublicKey),
    extensions: new Extensions([...template.extensions]),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbsCertificate));
  const signature = rawSignatureToDer(issuer.signer.sign(tbsDer));
  const certificate = new Certificate({
    tbsCertificate,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ecdsa_with_SHA256 }),
    signatureValue: signature.slice().buffer,
  });
  return parseCertificate(new Uint8Array(AsnConvert.serialize(certificate)));
}

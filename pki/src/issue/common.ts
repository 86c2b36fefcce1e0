import type { KeyObject } from 'node:crypto';
import type { Extension } from '@peculiar/asn1-x509';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { subjectKeyIdentifierOf } from '../certificate/extensions.js';
import type { NameAttribute } from '../certificate/names.js';
import type { Signer } from '../keys/signer.js';
import { authorityKeyIdentifier, keyIdentifierOf, subjectKeyIdentifier } from './extensions.js';
import { issueCertificate, issuerOf } from './issueCertificate.js';

/** Fields every issued certificate needs; the clock and randomness come from the caller. */
export interface IssueBase {
  /** From `serialNumberFromRandom(random(16))`. */
  readonly serialNumber: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The subject's public key. */
  readonly publicKey: KeyObject;
}

/** A CA that signs: its certificate and its Signer. */
export interface IssuingCa {
  readonly certificate: RspCertificate;
  readonly signer: Signer;
}

/** The CA's keyIdentifier for the AKI of what it signs: its SKI, or the RFC 5280 method-1 hash. */
export function authorityKeyIdOf(ca: IssuingCa): Uint8Array {
  return subjectKeyIdentifierOf(ca.certificate) ?? keyIdentifierOf(ca.certificate.publicKey);
}

/** A certificate a CA signs: the subject, its key and validity, and the extensions of the subject's role. */
export interface CaSignedTemplate extends IssueBase {
  readonly subject: readonly NameAttribute[];
  /** The role's own extensions, in the order they are encoded after the AKI and SKI. */
  readonly extensions: readonly Extension[];
}

/**
 * Issues a certificate signed by `ca`: every RSP certificate profile but the self-signed CI's
 * (SGP.22 v2.2.2 §4.5.2.1). The issuer is the CA's subject, and the extensions start with the two every
 * such profile carries, authorityKeyIdentifier (the CA's key identifier) and subjectKeyIdentifier (the
 * subject's key), followed by the role's own (keyUsage, certificatePolicies, SAN, ...) in the order given.
 */
export function issueSignedByCa(ca: IssuingCa, template: CaSignedTemplate): RspCertificate {
  return issueCertificate(
    {
      serialNumber: template.serialNumber,
      notBefore: template.notBefore,
      notAfter: template.notAfter,
      subject: template.subject,
      subjectPublicKey: template.publicKey,
      extensions: [authorityKeyIdentifier(authorityKeyIdOf(ca)), subjectKeyIdentifier(template.publicKey), ...template.extensions],
    },
    issuerOf(ca.certificate, ca.signer),
  );
}

import type { KeyObject } from 'node:crypto';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { subjectKeyIdentifierOf } from '../certificate/extensions.js';
import type { Signer } from '../keys/signer.js';
import { keyIdentifierOf } from './extensions.js';

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

// Typed readers for the extensions of the RSP certificate profiles (SGP.22 v2.2.2 §4.5.2).
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, ExtendedKeyUsage, KeyUsage, NameConstraints,
  SubjectAlternativeName, SubjectKeyIdentifier, id_ce_authorityKeyIdentifier, id_ce_basicConstraints,
  id_ce_certificatePolicies, id_ce_extKeyUsage, id_ce_keyUsage, id_ce_nameConstraints, id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier, type Extension,
} from '@peculiar/asn1-x509';
import { CertificateFormatError } from '../errors.js';
import { bytesOf } from './der.js';
/** A certificate or a CRL: anything with an extension list. */
export interface WithExtensions {
  readonly extensions: readonly Extension[];
}

type Parsable<T> = new () => T;

export function findExtension(certificate: WithExtensions, oid: string): Extension | undefined {
  const matches = certificate.extensions.filter((extension) => extension.extnID === oid);
  if (matches.length > 1) throw new CertificateFormatError(`extension ${oid} appears ${matches.length} times`);
  return matches[0];
}

/** Decoded extension values, per parsed Extension object: the rules read the same ones repeatedly. */
const decoded = new WeakMap<Extension, unknown>();

function readExtension<T>(certificate: WithExtensions, oid: string, type: Parsable<T>): T | undefined {
  const extension = findExtension(certificate, oid);
  if (extension === undefined) return undefined;
  if (decoded.has(extension)) return decoded.get(extension) as T;
  let value: T;
  try {
    value = AsnConvert.parse(extension.extnValue, type);
  } catch (error) {
    throw new CertificateFormatError(`extension ${oid} is malformed: ${(error as Error).message}`, { cause: error });
  }
  decoded.set(extension, value);
  return value;
}

export function basicConstraintsOf(certificate: WithExtensions): BasicConstraints | undefined {
  return readExtension(certificate, id_ce_basicConstraints, BasicConstraints);
}

/** The KeyUsage bits as flags (asn1-x509 KeyUsageFlags), or undefined when absent. */
export function keyUsageOf(certificate: WithExtensions): number | undefined {
  return readExtension(certificate, id_ce_keyUsage, KeyUsage)?.toNumber();
}

export function extendedKeyUsageOf(certificate: WithExtensions): readonly string[] | undefined {
  const usage = readExtension(certificate, id_ce_extKeyUsage, ExtendedKeyUsage);
  return usage === undefined ? undefined : [...usage];
}

/** Policy identifiers of certificatePolicies (the id-rspRole OIDs), empty when absent. */
export function policiesOf(certificate: WithExtensions): readonly string[] {
  const policies = readExtension(certificate, id_ce_certificatePolicies, CertificatePolicies);
  return policies === undefined ? [] : policies.map((policy) => policy.policyIdentifier);
}

export function subjectKeyIdentifierOf(certificate: WithExtensions): Uint8Array | undefined {
  const identifier = readExtension(certificate, id_ce_subjectKeyIdentifier, SubjectKeyIdentifier);
  return identifier === undefined ? undefined : bytesOf(identifier.buffer);
}

export function authorityKeyIdentifierOf(certificate: WithExtensions): Uint8Array | undefined {
  const identifier = readExtension(certificate, id_ce_authorityKeyIdentifier, AuthorityKeyIdentifier)?.keyIdentifier;
  return identifier === undefined ? undefined : bytesOf(identifier.buffer);
}

export function nameConstraintsOf(certificate: WithExtensions): NameConstraints | undefined {
  return readExtension(certificate, id_ce_nameConstraints, NameConstraints);
}

/** registeredID values of subjectAltName (the SM-DP+ OID of DPauth/DPpb, SGP.22 v2.2.2 §4.5.2.1). */
export function registeredIdsOf(certificate: WithExtensions): readonly string[] {
  const names = readExtension(certificate, id_ce_subjectAltName, SubjectAlternativeName) ?? [];
  return names.flatMap((name) => (name.registeredID === undefined ? [] : [name.registeredID]));
}

export function dnsNamesOf(certificate: WithExtensions): readonly string[] {
  const names = readExtension(certificate, id_ce_subjectAltName, SubjectAlternativeName) ?? [];
  return names.flatMap((name) => (name.dNSName === undefined ? [] : [name.dNSName]));
}

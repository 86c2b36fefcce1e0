// Typed readers for the extensions of the RSP certificate profiles (SGP.22 v2.2.2 §4.5.2) and CRLs,
// decoded with protocol's generated PKIX1Implicit88 codecs.
import {
  AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, ExtKeyUsageSyntax, KeyUsage, NameConstraints,
  SubjectAltName, SubjectKeyIdentifier, bitIsSet, id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_certificatePolicies,
  id_ce_extKeyUsage, id_ce_keyUsage, id_ce_nameConstraints, id_ce_subjectAltName, id_ce_subjectKeyIdentifier, type Codec, type Extension,
  type TBSCertList, type TBSCertificate,
} from '@zkesim/protocol';
import { CertificateFormatError } from '../errors.js';

/** A certificate or a CRL (RspCertificate, RspCrl): anything with an extension list. */
export type WithExtensions =
  | { readonly tbsCertificate: Pick<TBSCertificate, 'extensions'> }
  | { readonly tbsCertList: Pick<TBSCertList, 'crlExtensions'> };

/** The extensions of a certificate (tbsCertificate.extensions) or a CRL (tbsCertList.crlExtensions), in order. */
export function extensionsOf(holder: WithExtensions): readonly Extension[] {
  return ('tbsCertificate' in holder ? holder.tbsCertificate.extensions : holder.tbsCertList.crlExtensions) ?? [];
}

/** The extension `oid`; RFC 5280 §4.2: an extension appears at most once. */
export function findExtension(holder: WithExtensions, oid: string): Extension | undefined {
  const matches = extensionsOf(holder).filter((extension) => extension.extnID === oid);
  if (matches.length > 1) throw new CertificateFormatError(`extension ${oid} appears ${matches.length} times`);
  return matches[0];
}

/** Decoded extension values, per decoded Extension object: the rules read the same ones repeatedly. */
const decoded = new WeakMap<Extension, unknown>();

function readExtension<T>(holder: WithExtensions, oid: string, codec: Codec<T>): T | undefined {
  const extension = findExtension(holder, oid);
  if (extension === undefined) return undefined;
  if (decoded.has(extension)) return decoded.get(extension) as T;
  let value: T;
  try {
    // extnValue holds the DER of exactly one value of the extension's type (RFC 5280 §4.1).
    value = codec.decode(extension.extnValue);
  } catch (error) {
    throw new CertificateFormatError(`extension ${oid} is malformed: ${(error as Error).message}`, { cause: error });
  }
  decoded.set(extension, value);
  return value;
}

/** basicConstraints (RFC 5280 §4.2.1.9) with its DEFAULT applied: cA is false when absent. */
export interface BasicConstraintsValue {
  readonly cA: boolean;
  readonly pathLenConstraint?: number;
}

export function basicConstraintsOf(holder: WithExtensions): BasicConstraintsValue | undefined {
  const value = readExtension(holder, id_ce_basicConstraints, BasicConstraints);
  if (value === undefined) return undefined;
  const { pathLenConstraint } = value;
  if (pathLenConstraint === undefined) return { cA: value.cA ?? false };
  if (pathLenConstraint > BigInt(Number.MAX_SAFE_INTEGER)) throw new CertificateFormatError('basicConstraints pathLenConstraint is out of range');
  return { cA: value.cA ?? false, pathLenConstraint: Number(pathLenConstraint) };
}

/**
 * The KeyUsage bits as flags, bit n of the BIT STRING as `1 << n` (the @peculiar/asn1-x509 KeyUsageFlags
 * values, e.g. digitalSignature 1, keyCertSign 32, cRLSign 64), or undefined when absent.
 */
export function keyUsageOf(holder: WithExtensions): number | undefined {
  const bits = readExtension(holder, id_ce_keyUsage, KeyUsage);
  if (bits === undefined) return undefined;
  let flags = 0;
  for (const position of Object.values(KeyUsage.named)) if (bitIsSet(bits, position)) flags |= 1 << position;
  return flags;
}

export function extendedKeyUsageOf(holder: WithExtensions): readonly string[] | undefined {
  return readExtension(holder, id_ce_extKeyUsage, ExtKeyUsageSyntax);
}

/** Policy identifiers of certificatePolicies (the id-rspRole OIDs), empty when absent. */
export function policiesOf(holder: WithExtensions): readonly string[] {
  const policies = readExtension(holder, id_ce_certificatePolicies, CertificatePolicies);
  return policies === undefined ? [] : policies.map((policy) => policy.policyIdentifier);
}

export function subjectKeyIdentifierOf(holder: WithExtensions): Uint8Array | undefined {
  return readExtension(holder, id_ce_subjectKeyIdentifier, SubjectKeyIdentifier)?.slice();
}

export function authorityKeyIdentifierOf(holder: WithExtensions): Uint8Array | undefined {
  return readExtension(holder, id_ce_authorityKeyIdentifier, AuthorityKeyIdentifier)?.keyIdentifier?.slice();
}

export function nameConstraintsOf(holder: WithExtensions): NameConstraints | undefined {
  return readExtension(holder, id_ce_nameConstraints, NameConstraints);
}

/** registeredID values of subjectAltName (the SM-DP+ OID of DPauth/DPpb, SGP.22 v2.2.2 §4.5.2.1). */
export function registeredIdsOf(holder: WithExtensions): readonly string[] {
  const names = readExtension(holder, id_ce_subjectAltName, SubjectAltName) ?? [];
  return names.flatMap((name) => ('registeredID' in name ? [name.registeredID] : []));
}

export function dnsNamesOf(holder: WithExtensions): readonly string[] {
  const names = readExtension(holder, id_ce_subjectAltName, SubjectAltName) ?? [];
  return names.flatMap((name) => ('dNSName' in name ? [name.dNSName] : []));
}

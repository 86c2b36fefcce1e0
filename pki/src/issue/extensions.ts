// Builders for the extensions of the RSP certificate profiles (SGP.22 v2.2.2 §4.5.2).
import { createHash, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier, BasicConstraints, CRLDistributionPoints, CertificatePolicies, DistributionPoint,
  DistributionPointName, ExtendedKeyUsage, Extension, GeneralName, GeneralSubtree, GeneralSubtrees, KeyIdentifier,
  KeyUsage, NameConstraints, PolicyInformation, SubjectAlternativeName, SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import {
  id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_cRLDistributionPoints, id_ce_certificatePolicies,
  id_ce_extKeyUsage, id_ce_keyUsage, id_ce_nameConstraints, id_ce_subjectAltName, id_ce_subjectKeyIdentifier,
} from '@zkesim/protocol';
import { buildName } from '../certificate/names.js';
import { subjectPublicKeyInfoOf } from './issueCertificate.js';

function extension(extnID: string, critical: boolean, value: object): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** The SHA-1 of the subjectPublicKey BIT STRING contents (RFC 5280 §4.2.1.2, method 1), as SGP.26 uses. */
export function keyIdentifierOf(publicKey: KeyObject): Uint8Array {
  const bits = subjectPublicKeyInfoOf(publicKey).subjectPublicKey;
  return new Uint8Array(createHash('sha1').update(new Uint8Array(bits)).digest());
}

export function subjectKeyIdentifier(publicKey: KeyObject): Extension {
  return extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifierOf(publicKey)));
}

/** AKI with keyIdentifier only: the EUM's AKI is how a verifier selects the CI (SGP.22 §4.5.2.1). */
export function authorityKeyIdentifier(issuerKeyIdentifier: Uint8Array): Extension {
  return extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(issuerKeyIdentifier) }));
}

export function basicConstraints(ca: boolean, pathLength?: number): Extension {
  const value = new BasicConstraints(ca ? { cA: true, ...(pathLength === undefined ? {} : { pathLenConstraint: pathLength }) } : {});
  return extension(id_ce_basicConstraints, true, value);
}

/** Critical keyUsage from asn1-x509 KeyUsageFlags. */
export function keyUsage(flags: number): Extension {
  return extension(id_ce_keyUsage, true, new KeyUsage(flags));
}

/** Critical certificatePolicies with the single id-rspRole policy of the certificate's role. */
export function rolePolicy(policyOid: string): Extension {
  return extension(id_ce_certificatePolicies, true, new CertificatePolicies([new PolicyInformation({ policyIdentifier: policyOid })]));
}

export function extendedKeyUsage(purposes: readonly string[]): Extension {
  return extension(id_ce_extKeyUsage, true, new ExtendedKeyUsage([...purposes]));
}

export interface AltNames {
  readonly registeredId?: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

export function subjectAltName(names: AltNames): Extension {
  const general = [
    ...(names.dnsNames ?? []).map((dNSName) => new GeneralName({ dNSName })),
    ...(names.ipAddresses ?? []).map((iPAddress) => new GeneralName({ iPAddress })),
    ...(names.registeredId === undefined ? [] : [new GeneralName({ registeredID: names.registeredId })]),
  ];
  return extension(id_ce_subjectAltName, false, new SubjectAlternativeName(general));
}

export function crlDistributionPoints(urls: readonly string[]): Extension {
  const points = urls.map(
    (url) => new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: url })] }) }),
  );
  return extension(id_ce_cRLDistributionPoints, false, new CRLDistributionPoints(points));
}

/** The CRL distribution points extension when there are URLs to name, none otherwise (the profiles make it optional). */
export function crlDistributionPointsIfAny(urls: readonly string[] | undefined): Extension[] {
  return urls === undefined || urls.length === 0 ? [] : [crlDistributionPoints(urls)];
}

/** A SAN with only the registeredID when there is one, no SAN otherwise (the CI and EUM profiles make it optional). */
export function registeredIdIfAny(registeredId: string | undefined): Extension[] {
  return registeredId === undefined ? [] : [subjectAltName({ registeredId })];
}

/**
 * The EUM's permitted EINs as critical nameConstraints: one permitted directoryName subtree
 * `{ O = <EUM organisation>, serialNumber = <EIN prefix> }` per EIN (SGP.22 v2.2.2 §4.5.2.1, SGP.26 EUM).
 * SGP.22 reads serialNumber as an EID prefix, not as an RFC 5280 DN subtree; see rules/permittedEins.ts.
 */
export function permittedEins(organization: string, eins: readonly string[]): Extension {
  const subtrees = eins.map(
    (ein) => new GeneralSubtree({ base: new GeneralName({ directoryName: buildName([{ type: 'O', value: organization }, { type: 'serialNumber', value: ein }]) }) }),
  );
  return extension(id_ce_nameConstraints, true, new NameConstraints({ permittedSubtrees: new GeneralSubtrees(subtrees) }));
}

import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import {
  id_at_commonName, id_at_countryName, id_at_organizationName, id_at_organizationalUnitName, id_at_serialNumber,
} from '../oids.js';
import { bytesEqual } from './der.js';

/** The X.520 attributes RSP subjects use (SGP.22 v2.2.2 §4.5.2). */
export type AttributeName = 'C' | 'O' | 'OU' | 'serialNumber' | 'CN';

/** One RDN with one attribute, in subject order, e.g. `{ type: 'O', value: 'RSP Test EUM' }`. */
export interface NameAttribute {
  readonly type: AttributeName;
  readonly value: string;
}

const attributeOids: Readonly<Record<AttributeName, string>> = {
  C: id_at_countryName,
  O: id_at_organizationName,
  OU: id_at_organizationalUnitName,
  serialNumber: id_at_serialNumber,
  CN: id_at_commonName,
};

/**
 * Builds a Name with one attribute per RDN. countryName and serialNumber are PrintableString (X.520
 * requires it), the others UTF8String (RFC 5280 §4.1.2.6), as in the SGP.26 certificates.
 */
export function buildName(attributes: readonly NameAttribute[]): Name {
  return new Name(
    attributes.map(({ type, value }) => {
      const printable = type === 'C' || type === 'serialNumber';
      const attributeValue = new AttributeValue(printable ? { printableString: value } : { utf8String: value });
      return new RelativeDistinguishedName([new AttributeTypeAndValue({ type: attributeOids[type], value: attributeValue })]);
    }),
  );
}

/** Every value of one attribute type in a Name, in order. */
export function attributeValues(name: Name, type: AttributeName): string[] {
  const oid = attributeOids[type];
  return name.flatMap((rdn) => rdn.filter((entry) => entry.type === oid).map((entry) => entry.value.toString()));
}

/** DER of each Name object compared so far (names of parsed certificates are never mutated). */
const encodedNames = new WeakMap<Name, Uint8Array>();

function encodedName(name: Name): Uint8Array {
  let encoded = encodedNames.get(name);
  if (encoded === undefined) {
    encoded = new Uint8Array(AsnConvert.serialize(name));
    encodedNames.set(name, encoded);
  }
  return encoded;
}

/** Names compared by their DER encoding (RSP certificates copy the issuer name byte for byte). */
export function namesEqual(a: Name, b: Name): boolean {
  return bytesEqual(encodedName(a), encodedName(b));
}

/** A one-line, OpenSSL-like rendering for messages and JSON output, e.g. `C=ES, O=RSP Test EUM`. */
export function describeName(name: Name): string {
  const short = new Map(Object.entries(attributeOids).map(([label, oid]) => [oid, label]));
  return name
    .map((rdn) => rdn.map((entry) => `${short.get(entry.type) ?? entry.type}=${entry.value.toString()}`).join('+'))
    .join(', ');
}

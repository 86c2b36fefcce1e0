import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue as X509AttributeTypeAndValue, AttributeValue as X509AttributeValue, Name as X509Name,
  RelativeDistinguishedName as X509RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import {
  Asn1DecodeError, DirectoryString, Name, bytesEqual, derOf, id_at_commonName, id_at_countryName, id_at_organizationName, id_at_organizationalUnitName,
  id_at_serialNumber, readTlv, toHex,
} from '@zkesim/protocol';
import { CertificateFormatError } from '../errors.js';

/** The X.520 attributes RSP subjects use (SGP.22 v2.2.2 §4.5.2). */
export type AttributeName = 'C' | 'O' | 'OU' | 'serialNumber' | 'CN';

/** One RDN with one attribute, in subject order, e.g. `{ type: 'O', value: 'RSP Test EUM' }`. */
export interface NameAttribute {
  readonly type: AttributeName;
  readonly value: string;
}

/**
 * A distinguished name as protocol's generated PKIX codec decodes it (`tbsCertificate.subject`), or, for
 * the issuing code, an @peculiar/asn1-x509 Name (`buildName`).
 */
export type AnyName = Name | X509Name;

const attributeOids: Readonly<Record<AttributeName, string>> = {
  C: id_at_countryName,
  O: id_at_organizationName,
  OU: id_at_organizationalUnitName,
  serialNumber: id_at_serialNumber,
  CN: id_at_commonName,
};

/**
 * Builds a Name with one attribute per RDN. countryName and serialNumber are PrintableString (X.520
 * requires it), the others UTF8String (RFC 5280 §4.1.2.6), as in the SGP.26 certificates. The result is
 * an asn1-x509 Name for the issuing code, which assembles certificates with asn1-x509.
 */
export function buildName(attributes: readonly NameAttribute[]): X509Name {
  return new X509Name(
    attributes.map(({ type, value }) => {
      const printable = type === 'C' || type === 'serialNumber';
      const attributeValue = new X509AttributeValue(printable ? { printableString: value } : { utf8String: value });
      return new X509RelativeDistinguishedName([new X509AttributeTypeAndValue({ type: attributeOids[type], value: attributeValue })]);
    }),
  );
}

/** A decoded Name as an asn1-x509 Name, for the issuing code (the issuer name is copied byte for byte). */
export function x509NameOf(name: Name): X509Name {
  return AsnConvert.parse(derOrEncoding(name), X509Name);
}

/** Character string types an attribute value may have: the DirectoryString ones, and IA5/Numeric/Visible. */
const directoryStringTags = new Set([0x0c, 0x13, 0x14, 0x1c, 0x1e]);
const latin1StringTags = new Set([0x12, 0x16, 0x1a]);

/**
 * The text of an attribute value (ANY, the raw TLV): a DirectoryString (X.520, RFC 5280 §4.1.2.4), or
 * an IA5String (emailAddress, domainComponent). Any other type is shown as `#` and its DER in hex, the
 * RFC 4514 §2.4 form.
 */
function attributeText(value: Uint8Array): string {
  try {
    const { tag, value: contents } = readTlv(value);
    if (latin1StringTags.has(tag)) return Buffer.from(contents).toString('latin1');
    if (!directoryStringTags.has(tag)) return `#${toHex(value)}`;
    // Only the text is kept, nothing refers to the bytes after the call: no private copy (handed over).
    const [text = ''] = Object.values(DirectoryString.decode(value, { handOver: true }));
    return text;
  } catch (error) {
    if (error instanceof Asn1DecodeError) throw new CertificateFormatError(`name attribute is malformed: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The (type OID, text) pairs of a Name, RDN by RDN. */
function attributesOf(name: AnyName): Array<Array<{ type: string; text: () => string }>> {
  if ('rdnSequence' in name) {
    return name.rdnSequence.map((rdn) => rdn.map((entry) => ({ type: entry.type, text: () => attributeText(entry.value) })));
  }
  return name.map((rdn) => rdn.map((entry) => ({ type: entry.type, text: () => entry.value.toString() })));
}

/** Every value of one attribute type in a Name, in order. */
export function attributeValues(name: AnyName, type: AttributeName): string[] {
  const oid = attributeOids[type];
  return attributesOf(name).flatMap((rdn) => rdn.filter((entry) => entry.type === oid).map((entry) => entry.text()));
}

/** DER of each asn1-x509 Name object compared so far (names of parsed certificates are never mutated). */
const encodedNames = new WeakMap<X509Name, Uint8Array>();

function encodedName(name: AnyName): Uint8Array {
  if ('rdnSequence' in name) return derOrEncoding(name);
  let encoded = encodedNames.get(name);
  if (encoded === undefined) {
    encoded = new Uint8Array(AsnConvert.serialize(name));
    encodedNames.set(name, encoded);
  }
  return encoded;
}

/** The received DER of a decoded Name; a Name built by hand is encoded. */
function derOrEncoding(name: Name): Uint8Array {
  try {
    return derOf(name);
  } catch (error) {
    if (error instanceof TypeError) return Name.encode(name);
    throw error;
  }
}

/** Names compared by their DER encoding (RSP certificates copy the issuer name byte for byte). */
export function namesEqual(a: AnyName, b: AnyName): boolean {
  return bytesEqual(encodedName(a), encodedName(b));
}

/** A one-line, OpenSSL-like rendering for messages and JSON output, e.g. `C=ES, O=RSP Test EUM`. */
export function describeName(name: AnyName): string {
  const short = new Map(Object.entries(attributeOids).map(([label, oid]) => [oid, label]));
  return attributesOf(name)
    .map((rdn) => rdn.map((entry) => `${short.get(entry.type) ?? entry.type}=${entry.text()}`).join('+'))
    .join(', ');
}

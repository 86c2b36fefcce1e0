// Per-order personalisation of a profile template, through the SAIP codecs: the
// ProfileHeader iccid (SAIP §8.1, in the plain digit order of the GSMA TS.48 packages), EF.ICCID in the MF, EF.IMSI in the USIM (3GPP TS 31.102 §4.2.2) and
// the AKA parameters Ki / OPc (SAIP PE-AKAParameter). The result is a new UPP; the template is unchanged.
import {
  ProfileElement, SUBSCRIBER_IDENTITY_ISSUER_ID, concatBytes, splitTlvs, iccidToBytes, iccidToProfileHeader, type File, type IccidDigits,
} from '@zkesim/protocol';
import { nameFromSpnFile, spnFileContent } from './serviceProviderName.js';
import { layoutOf, type Layout, type Seen, type Slots } from './personaliseLayout.js';

export interface Personalisation {
  iccid: IccidDigits;
  imsi: string;
  ki: Uint8Array;
  opc: Uint8Array;
  /** Written to EF.SPN so the profile shows the name StoreMetadata announces. */
  serviceProviderName?: string;
  /**
   * SECRET: the DER of a SubscriberIdentityToken (protocol/asn1/ZkesimIdentity.asn), added as a PE-NonStandard
   * element when the order carries a subscriber identity. Never logged.
   */
  subscriberIdentityToken?: Uint8Array;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** Decodes a UPP into its profile elements (concatenated DER ProfileElement values, SAIP §8). */
export function decodeProfileElements(upp: Uint8Array): ProfileElement[] {
  return splitTlvs(upp).map((tlv) => ProfileElement.decode(tlv.tlv));
}

/**
 * ProfileElement CHOICE tags (SAIP PEDefinitions) of the elements personalisation changes. Every other
 * element is copied as the bytes received, which keeps them exact and avoids decoding the bulk of the UPP.
 */
const personalisedTags = new Set([0xa0 /* header */, 0xa4 /* akaParameter */, 0xb0 /* mf */, 0xb3 /* usim */]);

/** A template cut into its elements, the ones personalisation changes decoded (read-only: never mutated). */
interface ParsedTemplate {
  readonly parts: readonly { readonly tlv: Uint8Array; readonly decoded?: ProfileElement }[];
}

/**
 * Parsed templates by their bytes. An SM-DP+ serves a few templates over and over, and decoding the header,
 * MF, USIM and AKA elements of one costs about as much as the rest of personalisation; the cache keeps its
 * own copy of the bytes, so a caller changing its array later changes nothing here. Bounded. Looked up by
 * length and edges, then compared byte for byte (one memcmp), rather than keyed by the whole template as a
 * string, which copied and hashed every byte of it per download.
 */
const parsedTemplates = new Map<string, { readonly bytes: Buffer; readonly parsed: ParsedTemplate }[]>();
const maxParsedTemplates = 16;
let parsedTemplateCount = 0;

function templateKey(template: Buffer): string {
  const edge = Math.min(32, template.length);
  return `${template.length}:${template.toString('hex', 0, edge)}:${template.toString('hex', template.length - edge)}`;
}

function parseTemplate(template: Uint8Array): ParsedTemplate {
  const bytes = Buffer.from(template.buffer, template.byteOffset, template.byteLength);
  const key = templateKey(bytes);
  const cached = parsedTemplates.get(key)?.find((entry) => entry.bytes.equals(bytes));
  if (cached !== undefined) return cached.parsed;
  const own = template.slice();
  const parsed: ParsedTemplate = {
    parts: splitTlvs(own).map((tlv) => (personalisedTags.has(tlv.tag) ? { tlv: tlv.tlv, decoded: ProfileElement.decode(tlv.tlv) } : { tlv: tlv.tlv })),
  };
  if (parsedTemplateCount >= maxParsedTemplates) {
    parsedTemplates.clear();
    parsedTemplateCount = 0;
  }
  parsedTemplates.set(key, [...(parsedTemplates.get(key) ?? []), { bytes: Buffer.from(own.buffer, own.byteOffset, own.byteLength), parsed }]);
  parsedTemplateCount += 1;
  return parsed;
}

export function personaliseProfile(template: Uint8Array, values: Personalisation): Uint8Array {
  if (!/^\d{6,15}$/.test(values.imsi)) throw new TemplateError('imsi must be 6 to 15 digits');
  if (values.ki.length !== 16 || values.opc.length !== 16) throw new TemplateError('Ki and OPc must be 16 bytes');
  const parsed = parseTemplate(template);
  const slots = slotsOf(values);
  // The personalised elements from the template's layout (each encoded once with stand-in values, the order's
  // bytes written at their offsets: personaliseLayout.ts), or, for a template without one, encoded now.
  const layout = layoutOf(parsed, slots, encodePersonalised);
  const token = values.subscriberIdentityToken;
  if (layout !== undefined && token === undefined) return fromLayout(parsed, layout, slots);
  const seen: Seen = layout?.seen ?? { header: false, imsi: false, aka: false };
  const parts = parsed.parts.map(({ tlv, decoded }, index) => {
    const part = layout?.parts[index];
    if (part !== undefined) {
      const bytes = new Uint8Array(part.length);
      part.writeInto(bytes, 0, slots);
      return bytes;
    }
    return decoded === undefined ? tlv : encodePersonalised(decoded, slots, seen);
  });
  assertComplete(seen);
  // One copy into an array of its own (Buffer.concat would pool small results and copy once more).
  return concatBytes(token === undefined ? parts : withSubscriberIdentity(template, parts, token));
}

/** The UPP from the template's layout: every element copied once into the result, the order's bytes written there. */
function fromLayout(parsed: ParsedTemplate, layout: Layout, slots: Slots): Uint8Array {
  assertComplete(layout.seen);
  let length = 0;
  parsed.parts.forEach(({ tlv }, index) => (length += layout.parts[index]?.length ?? tlv.length));
  const out = new Uint8Array(length);
  let at = 0;
  parsed.parts.forEach(({ tlv }, index) => {
    const part = layout.parts[index];
    if (part === undefined) out.set(tlv, at);
    else part.writeInto(out, at, slots);
    at += part?.length ?? tlv.length;
  });
  return out;
}

function assertComplete(seen: Readonly<Seen>): void {
  const missing = Object.entries(seen).filter(([, present]) => !present).map(([name]) => name);
  if (missing.length > 0) throw new TemplateError(`template lacks ${missing.join(', ')}`);
}

/** The bytes personalisation writes into the elements, from the order's values. */
function slotsOf(values: Personalisation): Slots {
  const spn = values.serviceProviderName;
  return {
    headerIccid: iccidToProfileHeader(values.iccid),
    efIccid: iccidToBytes(values.iccid),
    efImsi: imsiFileContent(values.imsi),
    ki: values.ki,
    opc: values.opc,
    ...(spn === undefined ? {} : { efSpn: spnFileContent(spn) }),
  };
}

function encodePersonalised(element: ProfileElement, slots: Slots, seen: Seen): Uint8Array {
  return ProfileElement.encode(personaliseElement(element, slots, seen));
}

/** SAIP PE-End's CHOICE tag in ProfileElement. */
const endTag = 0xaa;

/**
 * Inserts the subscriber identity as a PE-NonStandard (SAIP v3.3.1 PE-NonStandard: issuerID and opaque
 * content) right before PE-End, which SAIP requires to be the last element. It is not `mandated`: an eUICC
 * that does not know our issuerID installs the profile without it (SAIP: non-mandated PEs may be skipped).
 * Its identification is one more than the highest identification of the template's PEs, so it stays unique
 * (SAIP PEHeader: the number identifies the PE in the EUICCResponse).
 */
function withSubscriberIdentity(template: Uint8Array, parts: Uint8Array[], token: Uint8Array): Uint8Array[] {
  const tlvs = splitTlvs(template);
  const last = tlvs.at(-1);
  if (last === undefined || last.tag !== endTag) throw new TemplateError('template does not end with PE-End');
  const identification = Math.max(0, ...tlvs.map((tlv) => peIdentification(ProfileElement.decode(tlv.tlv)))) + 1;
  const element = ProfileElement.encode({
    nonStandard: { 'nonStandard-header': { identification }, issuerID: SUBSCRIBER_IDENTITY_ISSUER_ID, content: token },
  });
  return [...parts.slice(0, -1), element, parts.at(-1) as Uint8Array];
}

/** The PEHeader identification of a profile element (0 for the ProfileHeader, which has none). */
function peIdentification(element: ProfileElement): number {
  const body = Object.values(element)[0] as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) {
    if (/-[hH]eader$/.test(key) && typeof value === 'object' && value !== null && 'identification' in value) return Number(value.identification);
  }
  return 0;
}

/** One element with the order's bytes written into it. */
function personaliseElement(element: ProfileElement, slots: Slots, seen: Seen): ProfileElement {
  if ('header' in element) {
    seen.header = true;
    // SPEC-AMBIGUITY: SAIP v3.3.1 §8.1 types the header iccid as OCTET STRING (SIZE (10)) without fixing a
    // digit order; the GSMA TS.48 packages write it in plain order, so the header is written as they have it
    // (EF.ICCID below keeps ETSI TS 102 221 §13.2 order). eUICCs compare header and StoreMetadata by digits.
    return { header: { ...element.header, iccid: slots.headerIccid } };
  }
  if ('mf' in element) return { mf: { ...element.mf, 'ef-iccid': withContent(element.mf['ef-iccid'], slots.efIccid) } };
  if ('usim' in element) {
    seen.imsi = true;
    return {
      usim: {
        ...element.usim,
        'ef-imsi': withContent(element.usim['ef-imsi'], slots.efImsi),
        ...(slots.efSpn === undefined ? {} : { 'ef-spn': withContent(element.usim['ef-spn'], slots.efSpn) }),
      },
    };
  }
  if ('akaParameter' in element && 'algoParameter' in element.akaParameter.algoConfiguration) {
    seen.aka = true;
    const algo = element.akaParameter.algoConfiguration.algoParameter;
    return { akaParameter: { ...element.akaParameter, algoConfiguration: { algoParameter: { ...algo, key: slots.ki, opc: slots.opc } } } };
  }
  return element;
}

/** A File with its first fillFileContent replaced (or added after the descriptor). */
function withContent(file: File, content: Uint8Array): File {
  const index = file.findIndex((item) => 'fillFileContent' in item);
  if (index >= 0) return file.map((item, i) => (i === index ? { fillFileContent: content } : item));
  return [...file, { fillFileContent: content }];
}

/**
 * EF.IMSI (TS 31.102 §4.2.2): length byte, then the digits in TBCD with the first nibble carrying the
 * identity type (1) and odd/even indication, padded with F to 9 bytes.
 */
export function imsiFileContent(imsi: string): Uint8Array {
  const odd = imsi.length % 2 === 1;
  const nibbles = [odd ? 0x9 : 0x1, ...Array.from(imsi, Number)];
  if (nibbles.length % 2 === 1) nibbles.push(0xf);
  const bytes = [nibbles.length / 2];
  for (let i = 0; i < nibbles.length; i += 2) bytes.push(((nibbles[i + 1] ?? 0xf) << 4) | (nibbles[i] ?? 0xf));
  while (bytes.length < 9) bytes.push(0xff);
  return Uint8Array.from(bytes);
}

/** The IMSI digits of an EF.IMSI content (inverse of imsiFileContent). */
export function imsiFromFileContent(content: Uint8Array): string {
  const length = content[0] ?? 0;
  let digits = '';
  for (const byte of content.subarray(1, 1 + length)) digits += `${(byte & 0x0f).toString(16)}${(byte >> 4).toString(16)}`;
  return digits.slice(1).replace(/f+$/i, '');
}

/** The service provider name a template's EF.SPN carries (its content, or the fill pattern of its descriptor). */
export function templateServiceProviderName(upp: Uint8Array): string | undefined {
  const usim = decodeProfileElements(upp).find((element) => 'usim' in element);
  if (usim === undefined || !('usim' in usim)) return undefined;
  const file = usim.usim['ef-spn'];
  // Written content wins over the descriptor's fill pattern (SAIP: the pattern only fills what is not written).
  for (const item of file) if ('fillFileContent' in item) return nameFromSpnFile(item.fillFileContent);
  for (const item of file) {
    const pattern = 'fileDescriptor' in item ? item.fileDescriptor.proprietaryEFInfo?.fillPattern : undefined;
    if (pattern !== undefined) return nameFromSpnFile(pattern);
  }
  return undefined;
}

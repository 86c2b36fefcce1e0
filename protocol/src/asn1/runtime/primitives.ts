// Content octets of the primitive types (X.690 §8.2–8.23), encode and decode. Callers check tags and
// lengths; these functions see only the value octets and throw plain Errors that the engine turns into
// Asn1DecodeError / Asn1EncodeError with the type name and offset.
import type { StringKind } from './schema.js';

export class ContentError extends Error {
  constructor(
    readonly reason: 'invalid-value' | 'constraint',
    message: string,
  ) {
    super(message);
  }
}

/** Two lower-case hex digits of each octet value. */
const HEX_OCTETS: readonly string[] = Array.from({ length: 256 }, (_, octet) => octet.toString(16).padStart(2, '0'));

// INTEGER ---------------------------------------------------------------------------------------------

export function decodeInteger(content: Uint8Array, big: boolean): number | bigint {
  return decodeIntegerAt(content, 0, content.length, big);
}

/** decodeInteger() of the content octets bytes[start..end), without a view on them. */
export function decodeIntegerAt(bytes: Uint8Array, start: number, end: number, big: boolean): number | bigint {
  const length = end - start;
  if (length === 0) throw new ContentError('invalid-value', 'INTEGER with no content octets');
  const sign = bytes[start]! & 0x80;
  if (!big && length <= 6) {
    // Two's complement: read as unsigned, then subtract 2^(8n) when the sign bit is set.
    let unsigned = 0;
    for (let i = start; i < end; i++) unsigned = unsigned * 256 + bytes[i]!;
    return sign ? unsigned - 2 ** (8 * length) : unsigned;
  }
  return bigIntegerAt(bytes, start, end, big);
}

/** decodeIntegerAt() beyond 6 octets or as a bigint (a function of its own: the caller stays small enough to inline). */
function bigIntegerAt(bytes: Uint8Array, start: number, end: number, big: boolean): number | bigint {
  const length = end - start;
  const sign = bytes[start]! & 0x80;
  // One BigInt from the octets' hex: a BigInt shift and OR per octet cost 5× as much for a 20-octet serial number.
  let hex = '0x';
  for (let i = start; i < end; i++) hex += HEX_OCTETS[bytes[i]!]!;
  const unsigned = BigInt(hex);
  const value = sign ? unsigned - (1n << BigInt(8 * length)) : unsigned;
  if (big) return value;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ContentError('invalid-value', 'INTEGER out of the safe range of this type');
  }
  return Number(value);
}

/**
 * Number of octets of the minimal two's complement of `value` (X.690 §8.3.2) when it is an integer
 * within ±2^23, else 0: most INTEGERs and every ENUMERATED, written without BigInt.
 */
export function smallIntegerLength(value: number): number {
  if (!Number.isInteger(value) || value < -0x800000 || value > 0x7fffff) return 0;
  return value >= -0x80 && value <= 0x7f ? 1 : value >= -0x8000 && value <= 0x7fff ? 2 : 3;
}

export function encodeInteger(value: number | bigint): Uint8Array {
  // Small numbers (most INTEGERs and every ENUMERATED) without BigInt: the same minimal octets.
  const small = typeof value === 'number' ? smallIntegerLength(value) : 0;
  if (small > 0) {
    const out = new Uint8Array(small);
    for (let i = 0; i < small; i++) out[i] = ((value as number) >> (8 * (small - 1 - i))) & 0xff;
    return out;
  }
  let big: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new ContentError('invalid-value', `${value} is not a safe integer`);
    big = BigInt(value);
  } else {
    big = value;
  }
  // Minimal two's complement (X.690 §8.3.2) from one hex conversion: a value ≥ 0 is its magnitude's octets
  // with a 00 octet in front when the top bit is set; a negative value is the complement of those of
  // -value - 1 (= ~value), which is ≥ 0 and needs the same number of octets.
  const negative = big < 0n;
  let hex = (negative ? ~big : big).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (hex.charCodeAt(0) >= 0x38) hex = `00${hex}`; // first digit 8..f: the top bit is set
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const octet = parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    out[i] = negative ? 0xff - octet : octet;
  }
  return out;
}

// OBJECT IDENTIFIER (§8.19) ---------------------------------------------------------------------------

export function decodeOid(content: Uint8Array): string {
  return decodeOidAt(content, 0, content.length);
}

/** decodeOid() of the content octets bytes[start..end), without a view on them. */
export function decodeOidAt(content: Uint8Array, start: number, end: number): string {
  if (end === start) throw new ContentError('invalid-value', 'OBJECT IDENTIFIER with no content octets');
  // Arcs as numbers while they stay below 2^46 (a further 7 bits keep them exact), as BigInt beyond.
  const arcs: Array<number | bigint> = [];
  let current: number | bigint = 0;
  let fresh = true;
  for (let i = start; i < end; i++) {
    const octet = content[i]!;
    if (fresh && octet === 0x80) throw new ContentError('invalid-value', 'OBJECT IDENTIFIER subidentifier with a leading 0x80');
    if (typeof current === 'number' && current < 2 ** 46) current = current * 128 + (octet & 0x7f);
    else current = (BigInt(current) << 7n) | BigInt(octet & 0x7f);
    fresh = false;
    if ((octet & 0x80) === 0) {
      arcs.push(current);
      current = 0;
      fresh = true;
    }
  }
  if (!fresh) throw new ContentError('invalid-value', 'OBJECT IDENTIFIER ends inside a subidentifier');
  // The first subidentifier packs two arcs; a second arc ≥ 40 is only possible under arc 2 (2.999…).
  const first = arcs[0]!;
  let text = first < 40 ? `0.${first}` : first < 80 ? `1.${Number(first) - 40}` : `2.${typeof first === 'number' ? first - 80 : first - 80n}`;
  for (let i = 1; i < arcs.length; i++) text += `.${arcs[i]}`;
  return text;
}

/** Encoded OIDs by dotted string: a protocol uses a few dozen, encoded over and over. Bounded. */
const encodedOids = new Map<string, Uint8Array>();

export function encodeOid(oid: string): Uint8Array {
  return encodedOid(oid).slice();
}

/** The cached encoding itself, for writers that copy it at once: callers must not change it. */
export function encodedOid(oid: string): Uint8Array {
  const cached = encodedOids.get(oid);
  if (cached !== undefined) return cached;
  const encoded = encodeOidUncached(oid);
  if (encodedOids.size >= 1024) encodedOids.clear();
  encodedOids.set(oid, encoded);
  return encoded;
}

function encodeOidUncached(oid: string): Uint8Array {
  if (!/^[0-2](\.\d+)+$/.test(oid)) throw new ContentError('invalid-value', `'${oid}' is not a dotted OBJECT IDENTIFIER`);
  const arcs = oid.split('.').map((arc) => BigInt(arc));
  const [a, b] = arcs as [bigint, bigint];
  if (a < 2n && b >= 40n) throw new ContentError('invalid-value', `second arc of ${oid} must be below 40`);
  const subidentifiers = [a * 40n + b, ...arcs.slice(2)];
  const out: number[] = [];
  for (const sub of subidentifiers) {
    const group = [Number(sub & 0x7fn)];
    for (let rest = sub >> 7n; rest > 0n; rest >>= 7n) group.unshift(Number(rest & 0x7fn) | 0x80);
    out.push(...group);
  }
  return Uint8Array.from(out);
}

// Character strings (§8.23) ---------------------------------------------------------------------------

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * Strings up to these many octets are read octet by octet; longer ones through a view. Node 20, CPU per
 * ASCII string: 27 ns for 4 octets octet by octet, 100 at 12, 230 at 20 (longer concatenations build ropes
 * V8 flattens later), against 115 ns at any length through TextDecoder (UTF8String) and 86, 133, 171 ns
 * through String.fromCharCode of the octets (the 8-bit kinds and times: UTCTime has 13).
 */
const SHORT_UTF8 = 12;
const SHORT_OCTETS = 16;

/** One character per octet (latin1) of bytes[start..end), or undefined when `ascii` and an octet is above 0x7f. */
function octetText(bytes: Uint8Array, start: number, end: number, ascii: boolean): string | undefined {
  let text = '';
  for (let i = start; i < end; i++) {
    const octet = bytes[i]!;
    if (ascii && octet > 0x7f) return undefined;
    text += String.fromCharCode(octet);
  }
  return text;
}

/**
 * decodeString() of the content octets bytes[start..end): a short 8-bit string, or a short UTF8String all
 * in ASCII (the same text UTF-8 gives), is read in place without a view on it.
 */
export function decodeStringAt(kind: StringKind | 'time', bytes: Uint8Array, start: number, end: number): string {
  if (kind === 'UTF8String') {
    if (end - start <= SHORT_UTF8) {
      const text = octetText(bytes, start, end, true);
      if (text !== undefined) return text;
    }
  } else if (kind !== 'BMPString' && kind !== 'UniversalString' && end - start <= SHORT_OCTETS) {
    return octetText(bytes, start, end, false)!;
  }
  return decodeString(kind, bytes.subarray(start, end));
}

export function decodeString(kind: StringKind | 'time', content: Uint8Array): string {
  switch (kind) {
    case 'UTF8String':
      try {
        return utf8Decoder.decode(content);
      } catch {
        throw new ContentError('invalid-value', 'UTF8String is not valid UTF-8');
      }
    case 'BMPString': {
      if (content.length % 2) throw new ContentError('invalid-value', 'BMPString length is odd');
      let text = '';
      for (let i = 0; i < content.length; i += 2) text += String.fromCharCode((content[i]! << 8) | content[i + 1]!);
      return text;
    }
    case 'UniversalString': {
      if (content.length % 4) throw new ContentError('invalid-value', 'UniversalString length is not a multiple of 4');
      let text = '';
      for (let i = 0; i < content.length; i += 4) {
        const code = ((content[i]! << 24) | (content[i + 1]! << 16) | (content[i + 2]! << 8) | content[i + 3]!) >>> 0;
        if (code > 0x10ffff) throw new ContentError('invalid-value', 'UniversalString code point out of range');
        text += String.fromCodePoint(code);
      }
      return text;
    }
    default:
      // 8-bit string types keep each octet as one character (latin1), so any octets round-trip.
      return String.fromCharCode(...content);
  }
}

export function encodeString(kind: StringKind | 'time', text: string): Uint8Array {
  switch (kind) {
    case 'UTF8String':
      return utf8Encoder.encode(text);
    case 'BMPString': {
      const out = new Uint8Array(text.length * 2);
      for (let i = 0; i < text.length; i++) {
        out[2 * i] = text.charCodeAt(i) >> 8;
        out[2 * i + 1] = text.charCodeAt(i) & 0xff;
      }
      return out;
    }
    case 'UniversalString': {
      const codes = [...text].map((ch) => ch.codePointAt(0)!);
      const out = new Uint8Array(codes.length * 4);
      codes.forEach((code, i) => new DataView(out.buffer).setUint32(i * 4, code));
      return out;
    }
    default: {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0xff) throw new ContentError('invalid-value', `character U+${code.toString(16)} does not fit ${kind}`);
        out[i] = code;
      }
      return out;
    }
  }
}

/** Number of characters, as size constraints on character strings count them. */
export function characterCount(kind: StringKind, text: string): number {
  if (kind !== 'UTF8String' && kind !== 'UniversalString') return text.length;
  // Code points: a high surrogate followed by a low one is one character, any other UTF-16 unit one each.
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

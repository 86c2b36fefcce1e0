// The TLV layer of DER (X.690 §8.1, §10): identifier and length octets, read with bounds checks and
// written in minimal form. Everything above it works on these headers.
import { Asn1DecodeError } from './errors.js';
import type { TagClass } from './schema.js';

const CLASS_OF_BITS: readonly TagClass[] = ['U', 'A', 'C', 'P'];

/** Lengths above this are refused before any allocation (a 4-byte length field is already 4 GiB). */
const MAX_LENGTH_OCTETS = 4;

export interface TlvHeader {
  readonly cls: TagClass;
  readonly num: number;
  readonly constructed: boolean;
  /** Class and number as one number, tagKey(cls, num) of engine.ts, for table lookups. */
  readonly key: number;
  /** The identifier octets as one number: 0x30, 0xBF36, 0x5F37, 0x86. */
  readonly tag: number;
  /** Offset of the first identifier octet. */
  readonly start: number;
  readonly headerLength: number;
  readonly length: number;
  readonly valueOffset: number;
  readonly end: number;
}

/**
 * A TLV header read in place: the compiled decoder reads every header into one of these instead of
 * allocating a TlvHeader per TLV. Only the fields of the header read last are valid.
 */
export class HeaderCursor {
  /** tagKey(cls, num) of engine.ts: (class index) * 0x10000000 + number. */
  key = 0;
  constructed = false;
  tag = 0;
  start = 0;
  valueOffset = 0;
  end = 0;
}

/** Class letter and number of a tag key, for messages. */
export function tagOfKey(key: number): { cls: TagClass; num: number } {
  return { cls: CLASS_OF_BITS[Math.floor(key / 0x10000000)]!, num: key % 0x10000000 };
}

/** Reads one TLV header at `offset`, whose value must end at or before `limit`, into `cursor`. */
export function readHeaderInto(cursor: HeaderCursor, bytes: Uint8Array, offset: number, limit: number, typeName: string): void {
  let pos = offset;
  if (pos >= limit) throw new Asn1DecodeError(typeName, pos, 'truncated', 'expected an identifier octet');
  const first = bytes[pos++]!;
  let num = first & 0x1f;
  let tag = first;
  if (num === 0x1f) {
    num = 0;
    for (let count = 0; ; count++) {
      if (pos >= limit) throw new Asn1DecodeError(typeName, pos, 'truncated', 'tag number continues past the end');
      if (count >= 3) throw new Asn1DecodeError(typeName, pos, 'invalid-value', 'tag number longer than 3 octets');
      const octet = bytes[pos++]!;
      if (count === 0 && octet === 0x80) throw new Asn1DecodeError(typeName, pos - 1, 'invalid-value', 'tag number has a leading zero octet');
      num = num * 128 + (octet & 0x7f);
      tag = tag * 256 + octet;
      if ((octet & 0x80) === 0) break;
    }
  }
  if (pos >= limit) throw new Asn1DecodeError(typeName, pos, 'truncated', 'expected a length octet');
  const lengthStart = pos;
  let length = bytes[pos++]!;
  if (length === 0x80) throw new Asn1DecodeError(typeName, lengthStart, 'indefinite-length', 'indefinite length is not DER');
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > MAX_LENGTH_OCTETS) throw new Asn1DecodeError(typeName, lengthStart, 'length-overflow', `${count} length octets`);
    length = 0;
    for (let i = 0; i < count; i++) {
      if (pos >= limit) throw new Asn1DecodeError(typeName, pos, 'truncated', 'length octets continue past the end');
      length = length * 256 + bytes[pos++]!;
    }
  }
  if (pos + length > limit) {
    throw new Asn1DecodeError(typeName, lengthStart, 'length-overflow', `length ${length} runs past the end (${limit - pos} bytes left)`);
  }
  // (first >> 6) is the class index of CLASS_OF_BITS, which tagKey multiplies by 0x10000000.
  cursor.key = (first >> 6) * 0x10000000 + num;
  cursor.constructed = (first & 0x20) !== 0;
  cursor.tag = tag;
  cursor.start = offset;
  cursor.valueOffset = pos;
  cursor.end = pos + length;
}

/** Reads one TLV header at `offset`, whose value must end at or before `limit`. */
export function readHeader(bytes: Uint8Array, offset: number, limit: number, typeName = 'TLV'): TlvHeader {
  const c = new HeaderCursor();
  readHeaderInto(c, bytes, offset, limit, typeName);
  const { cls, num } = tagOfKey(c.key);
  const length = c.end - c.valueOffset;
  return { cls, num, key: c.key, constructed: c.constructed, tag: c.tag, start: offset, headerLength: c.valueOffset - offset, length, valueOffset: c.valueOffset, end: c.end };
}

/** Minimal DER length octets for `length`. */
export function encodeLength(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`invalid length ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

/** Identifier octets from the single-number form used by `readTlv` (0xBF36 → BF 36). */
export function identifierBytes(tag: number): Uint8Array {
  const octets: number[] = [];
  for (let rest = tag; rest > 0 || octets.length === 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Uint8Array.from(octets);
}


// What one encode() call writes into and how it fails: the reverse writer with the type name open-type
// errors carry, the failure whose path is built while it unwinds, and the primitive content writers the
// compiled encoder (encode.ts) shares.
import type { BitString } from './bitString.js';
import { readHeader } from './der.js';
import type { BaseSchema } from './engine.js';
import { ContentError, encodeInteger, encodeString, smallIntegerLength } from './primitives.js';
import type { Bounds } from './schema.js';
import { compareOctets, ReverseWriter } from './writer.js';

/**
 * A failure on its way up: each value it leaves adds its field name or index in front, and encode()
 * turns it into the Asn1EncodeError. The path costs nothing while nothing fails.
 */
export class EncodeFailure {
  constructor(
    readonly path: Array<string | number>,
    readonly detail: string,
  ) {}
}

/** `at`: the field the failure is about, below the value being written (a missing mandatory field). */
export function fail(detail: string, at?: string): never {
  throw new EncodeFailure(at === undefined ? [] : [at], detail);
}

/** A primitive's ContentError (a value its type cannot hold) becomes a failure at that value. */
export function contentFailure(error: unknown): never {
  if (error instanceof ContentError) fail(error.message);
  throw error;
}

export function checkSize(size: Bounds | undefined, count: number, what: string): void {
  if (!size) return;
  const [min, max] = size;
  if ((min !== null && count < min) || (max !== null && count > max)) fail(`${what} ${count} outside SIZE(${min ?? 'MIN'}..${max ?? 'MAX'})`);
}

/** The writer of one encode() call, with the type name that open-type errors carry. */
export class Output extends ReverseWriter {
  constructor(
    public typeName: string,
    initialSize?: number,
  ) {
    super(initialSize);
  }
}

/** DER orders SET components by tag and SET OF elements by encoding (X.690 §10.3, §11.6). */
export function writeSorted(out: Output, parts: Uint8Array[]): void {
  parts.sort(compareOctets);
  for (let i = parts.length - 1; i >= 0; i--) out.bytes(parts[i]!);
}

/** Content octets, with the header of `own` in front when given. */
export function writeOwn(out: Output, own: Uint8Array | undefined, content: Uint8Array): void {
  out.bytes(content);
  if (own) out.tagged(own, content.length);
}

export function writeInteger(out: Output, value: number | bigint): void {
  const small = typeof value === 'number' ? smallIntegerLength(value) : 0;
  if (small > 0) return out.integer(value as number, small);
  let encoded: Uint8Array;
  try {
    encoded = encodeInteger(value);
  } catch (error) {
    contentFailure(error);
  }
  out.bytes(encoded);
}

export function encodeStringOrFail(kind: Parameters<typeof encodeString>[0], value: string): Uint8Array {
  try {
    return encodeString(kind, value);
  } catch (error) {
    contentFailure(error);
  }
}

export function openType(out: Output, value: unknown): void {
  if (!(value instanceof Uint8Array)) fail('an open type value must be the encoded TLV as a Uint8Array');
  const header = readHeader(value, 0, value.length, out.typeName);
  if (header.end !== value.length) fail('an open type value must be exactly one TLV');
  out.bytes(value);
}

export function bitsContent(base: BaseSchema & { t: 'bits' }, value: unknown): Uint8Array {
  const bits = value as BitString;
  if (!bits || !(bits.bytes instanceof Uint8Array) || !Number.isInteger(bits.unusedBits) || bits.unusedBits < 0 || bits.unusedBits > 7) {
    fail('expected a BitString { bytes, unusedBits }');
  }
  let { bytes, unusedBits } = bits;
  if (bytes.length === 0 && unusedBits !== 0) fail('an empty BIT STRING has no unused bits');
  if (base.named) {
    // X.690 §11.2.2: a named bit list is encoded without trailing zero bits.
    let length = bytes.length;
    while (length > 0 && bytes[length - 1] === 0) length--;
    bytes = bytes.subarray(0, length);
    if (length > 0) {
      const last = bytes[length - 1]!;
      unusedBits = 0;
      while (!((last >> unusedBits) & 1)) unusedBits++;
    } else {
      unusedBits = 0;
    }
  }
  checkSize(base.size, bytes.length * 8 - unusedBits, 'bit count');
  const out = new Uint8Array(bytes.length + 1);
  out[0] = unusedBits;
  out.set(bytes, 1);
  if (bytes.length > 0) out[bytes.length]! &= 0xff << unusedBits;
  return out;
}

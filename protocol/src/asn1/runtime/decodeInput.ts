// What one decode() call works on: the input, the type name its errors carry, the TLV header read last
// (one HeaderCursor for the whole call), and the checks and views the compiled decoder (decode.ts) shares.
import type { BitString } from './bitString.js';
import { HeaderCursor, readHeaderInto, tagOfKey } from './der.js';
import type { Layer } from './engine.js';
import { Asn1DecodeError } from './errors.js';
import { ContentError } from './primitives.js';
import type { Bounds } from './schema.js';

export interface DecodeOptions {
  /** Largest input accepted, in bytes (default 16 MiB). */
  readonly maxLength?: number;
  /** Deepest TLV nesting accepted (default 64). */
  readonly maxDepth?: number;
  /**
   * The caller hands the bytes over to the decoded value: no private copy is made, so its byte strings,
   * BIT STRINGs, open types and derOf() are views into them, and whoever changes them afterwards changes the
   * value (and a view's `.buffer` is the caller's whole buffer: not for a Buffer from Node's shared pool).
   * For bytes nobody else holds (an array just decoded from base64); default false: copied first.
   */
  readonly handOver?: boolean;
}

export const DEFAULT_MAX_LENGTH = 16 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

/** One decode() call: the input, the type name errors carry, and the header read last. */
export class Input {
  readonly cursor = new HeaderCursor();
  /** The input's buffer when it is a plain Uint8Array (not a Buffer or other subclass), else undefined. */
  private readonly buffer: ArrayBufferLike | undefined;
  private readonly byteOffset: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly typeName: string,
    readonly maxDepth: number,
  ) {
    this.buffer = Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes.buffer : undefined;
    this.byteOffset = bytes.byteOffset;
  }

  /** bytes.subarray(start, end); for a plain Uint8Array the constructor gives the same view at a third of the cost. */
  view(start: number, end: number): Uint8Array {
    return this.buffer !== undefined ? new Uint8Array(this.buffer, this.byteOffset + start, end - start) : this.bytes.subarray(start, end);
  }

  fail(offset: number, reason: Asn1DecodeError['reason'], detail: string): never {
    throw new Asn1DecodeError(this.typeName, offset, reason, detail);
  }

  /** Reads the header of a TLV nested `depth` deep into the cursor. */
  child(offset: number, limit: number, depth: number): void {
    if (depth > this.maxDepth) this.fail(offset, 'too-deep', `nesting deeper than ${this.maxDepth}`);
    readHeaderInto(this.cursor, this.bytes, offset, limit, this.typeName);
  }

  /** A ContentError of a primitive's content octets becomes an Asn1DecodeError at their offset. */
  content(error: unknown, offset: number): never {
    if (error instanceof ContentError) this.fail(offset, error.reason, error.message);
    throw error;
  }

  checkSize(size: Bounds | undefined, count: number, offset: number, what: string): void {
    if (!size) return;
    const [min, max] = size;
    if ((min !== null && count < min) || (max !== null && count > max)) {
      this.fail(offset, 'constraint', `${what} ${count} outside SIZE(${min ?? 'MIN'}..${max ?? 'MAX'})`);
    }
  }
}

/** The tag a content closure checks itself when the type has no other layer (one call less per value). */
export interface OwnTag {
  readonly key: number;
  readonly layer: Layer;
  readonly constructed: boolean;
}

export function checkOwn(input: Input, own: OwnTag): void {
  const c = input.cursor;
  if (c.key !== own.key) wrongTag(input, own.layer);
  if (c.constructed !== own.constructed) wrongEncoding(input, own.constructed);
}

export function wrongTag(input: Input, layer: Layer): never {
  const { cls, num } = tagOfKey(input.cursor.key);
  input.fail(input.cursor.start, 'wrong-tag', `expected [${layer.cls} ${layer.num}], found [${cls} ${num}]`);
}

export function wrongEncoding(input: Input, constructed: boolean): never {
  input.fail(input.cursor.start, 'invalid-value', constructed ? 'expected a constructed encoding' : 'expected a primitive encoding (DER)');
}

/** Elements after the known fields of an extensible SEQUENCE are kept verbatim (X.680 §52); the first is in the cursor. */
export function keepExtensions(input: Input, ext: boolean, end: number, depth: number): Uint8Array[] {
  const c = input.cursor;
  if (!ext) {
    const { cls, num } = tagOfKey(c.key);
    input.fail(c.start, 'wrong-tag', `unexpected element [${cls} ${num}]`);
  }
  const kept: Uint8Array[] = [];
  for (;;) {
    kept.push(input.view(c.start, c.end));
    if (c.end >= end) return kept;
    input.child(c.end, end, depth + 1);
  }
}

/** BIT STRING content (X.690 §8.6): the unused-bits octet, then the bits. */
export function bitString(input: Input, size: Bounds | undefined): BitString {
  const c = input.cursor;
  const offset = c.valueOffset;
  if (c.end === offset) input.fail(offset, 'invalid-value', 'BIT STRING without the unused-bits octet');
  const unusedBits = input.bytes[offset]!;
  if (unusedBits > 7 || (c.end - offset === 1 && unusedBits !== 0)) input.fail(offset, 'invalid-value', `bad unused-bits count ${unusedBits}`);
  input.checkSize(size, (c.end - offset - 1) * 8 - unusedBits, offset, 'bit count');
  return { bytes: input.view(offset + 1, c.end), unusedBits };
}

// A byte buffer written from the end towards the front. DER puts each length before its content, so
// writing content first and prepending its header gives the encoding in one pass with no copying of
// nested values (the technique of BoringSSL's CBB and of asn1c's reverse encoders).
import type { TagClass } from './schema.js';

const CLASS_BITS: Readonly<Record<TagClass, number>> = { U: 0x00, A: 0x40, C: 0x80, P: 0xc0 };

export class ReverseWriter {
  private buffer: Uint8Array;
  private start: number;

  constructor(initialSize = 1024) {
    this.buffer = new Uint8Array(initialSize);
    this.start = initialSize;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.buffer.length - this.start;
  }

  /** Size of the buffer, written or not. */
  get capacity(): number {
    return this.buffer.length;
  }

  private reserve(count: number): void {
    if (this.start >= count) return;
    const size = this.size;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, size + count + 1024));
    grown.set(this.buffer.subarray(this.start), grown.length - size);
    this.buffer = grown;
    this.start = grown.length - size;
  }

  bytes(data: Uint8Array): void {
    const count = data.length;
    this.reserve(count);
    const at = (this.start -= count);
    // A loop beats TypedArray.set() for the few octets of most primitive values.
    if (count <= 16) for (let i = 0; i < count; i++) this.buffer[at + i] = data[i]!;
    else this.buffer.set(data, at);
  }

  /**
   * The characters of `text` as one octet each (their UTF-16 code units) when none is above `max`: the
   * encoding of an ASCII UTF8String or of an 8-bit string type without a TextEncoder and a copy. Returns
   * false, having written nothing, when a character is above `max`.
   */
  octets(text: string, max: number): boolean {
    const count = text.length;
    for (let i = 0; i < count; i++) if (text.charCodeAt(i) > max) return false;
    this.reserve(count);
    const at = (this.start -= count);
    for (let i = 0; i < count; i++) this.buffer[at + i] = text.charCodeAt(i);
    return true;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[--this.start] = value;
  }

  /** The `count` low octets of `value`, big-endian (an INTEGER of smallIntegerLength() octets). */
  integer(value: number, count: number): void {
    this.reserve(count);
    for (let i = 0; i < count; i++) this.buffer[--this.start] = (value >> (8 * i)) & 0xff;
  }

  /** Prepends identifier and length octets for content of `length` bytes (X.690 §8.1.2, §10.1). */
  header(cls: TagClass, num: number, constructed: boolean, length: number): void {
    this.tagged(identifierOctets(cls, num, constructed), length);
  }

  /** header() with the identifier octets of identifierOctets(). */
  tagged(identifier: Uint8Array, length: number): void {
    this.reserve(identifier.length + 5);
    const buffer = this.buffer;
    let at = this.start;
    if (length < 0x80) {
      buffer[--at] = length;
    } else {
      let count = 0;
      for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
        buffer[--at] = rest % 256;
        count++;
      }
      buffer[--at] = 0x80 | count;
    }
    for (let i = identifier.length - 1; i >= 0; i--) buffer[--at] = identifier[i]!;
    this.start = at;
  }

  /**
   * Puts runs written one after the other into ascending order of their octets (DER's SET OF order,
   * X.690 §11.6), in place. `bounds` are the sizes before the first run and after each run; since the
   * buffer fills from the end, the run written last comes first. Runs already in order are not moved.
   */
  sortRuns(bounds: readonly number[]): void {
    const length = this.buffer.length;
    const runs: Uint8Array[] = [];
    for (let k = bounds.length - 2; k >= 0; k--) runs.push(this.buffer.subarray(length - bounds[k + 1]!, length - bounds[k]!));
    let ordered = true;
    for (let i = 1; i < runs.length && ordered; i++) ordered = compareOctets(runs[i - 1]!, runs[i]!) <= 0;
    if (ordered) return;
    const copies = runs.map((run) => run.slice()).sort(compareOctets);
    let at = length - bounds[bounds.length - 1]!;
    for (const copy of copies) {
      this.buffer.set(copy, at);
      at += copy.length;
    }
  }

  /** Forgets what was written, keeping the buffer for the next value. */
  reset(): void {
    this.start = this.buffer.length;
  }

  /** A copy of everything written. */
  result(): Uint8Array {
    return this.buffer.slice(this.start);
  }
}

/** Octet-wise order; of two strings where one begins the other, the shorter first. */
export function compareOctets(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Identifier octets of a tag (X.690 §8.1.2): one octet below 31, else the high-tag-number form. */
export function identifierOctets(cls: TagClass, num: number, constructed: boolean): Uint8Array {
  const lead = CLASS_BITS[cls] | (constructed ? 0x20 : 0);
  if (num < 0x1f) return Uint8Array.of(lead | num);
  const octets = [num & 0x7f];
  for (let rest = Math.floor(num / 128); rest > 0; rest = Math.floor(rest / 128)) octets.unshift(0x80 | (rest & 0x7f));
  return Uint8Array.of(lead | 0x1f, ...octets);
}

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

  private reserve(count: number): void {
    if (this.start >= count) return;
    const size = this.size;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, size + count + 1024));
    grown.set(this.buffer.subarray(this.start), grown.length - size);
    this.buffer = grown;
    this.start = grown.length - size;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.start -= data.length;
    this.buffer.set(data, this.start);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[--this.start] = value;
  }

  /** Prepends identifier and length octets for content of `length` bytes (X.690 §8.1.2, §10.1). */
  header(cls: TagClass, num: number, constructed: boolean, length: number): void {
    if (length < 0x80) {
      this.byte(length);
    } else {
      let count = 0;
      for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
        this.byte(rest % 256);
        count++;
      }
      this.byte(0x80 | count);
    }
    const lead = CLASS_BITS[cls] | (constructed ? 0x20 : 0);
    if (num < 0x1f) {
      this.byte(lead | num);
      return;
    }
    this.byte(num & 0x7f);
    for (let rest = Math.floor(num / 128); rest > 0; rest = Math.floor(rest / 128)) this.byte(0x80 | (rest & 0x7f));
    this.byte(lead | 0x1f);
  }

  /** A copy of everything written. */
  result(): Uint8Array {
    return this.buffer.slice(this.start);
  }
}

// The DER encoder (X.690 §10, §11): definite minimal lengths, DEFAULT values left out, SET components
// and SET OF elements in canonical order, named bit strings without trailing zero bits. It writes from
// the end of the buffer (writer.ts), children before their headers, in one pass.
import { bytesEqual, fromHex } from '../../../src/bytes.js';
import type { BitString } from '../../../src/asn1/runtime/bitString.js';
import { readHeader } from '../../../src/asn1/runtime/der.js';
import { DecodedValue } from '../../../src/asn1/runtime/decodedValue.js';
import { isConstructedBase, type BaseSchema, type SchemaEngine } from '../../../src/asn1/runtime/engine.js';
import { Asn1EncodeError } from '../../../src/asn1/runtime/errors.js';
import { ContentError, encodeOid, encodeString } from '../../../src/asn1/runtime/primitives.js';
import { characterCount, encodeInteger } from './primitives.js';
import type { Bounds, FieldSchema, TypeSchema } from '../../../src/asn1/runtime/schema.js';
import { ReverseWriter } from '../../../src/asn1/runtime/writer.js';

/** OCTET STRING DEFAULTs (hex in the tables) as bytes, converted once per field. */
const defaultBytes = new WeakMap<FieldSchema, Uint8Array>();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * A failure on its way up: each child() it passes adds its field name or index in front, and encode()
 * turns it into the Asn1EncodeError. The path costs nothing while nothing fails.
 */
class EncodeFailure {
  constructor(
    readonly path: Array<string | number>,
    readonly detail: string,
  ) {}
}

export class Encoder {
  private writer = new ReverseWriter();

  constructor(
    private readonly engine: SchemaEngine,
    private readonly typeName: string,
  ) {}

  encode(type: TypeSchema, value: unknown): Uint8Array {
    try {
      this.writeNode(type, value);
    } catch (error) {
      if (!(error instanceof EncodeFailure)) throw error;
      const path = error.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '');
      throw new Asn1EncodeError(this.typeName, path, error.detail);
    }
    return this.writer.result();
  }

  /** `at`: the field the failure is about, below the value being written (a missing mandatory field). */
  private fail(detail: string, at?: string): never {
    throw new EncodeFailure(at === undefined ? [] : [at], detail);
  }

  private child(part: string | number, type: TypeSchema, value: unknown): void {
    try {
      this.writeNode(type, value);
    } catch (error) {
      if (error instanceof EncodeFailure) error.path.unshift(part);
      throw error;
    }
  }

  private writeNode(type: TypeSchema, value: unknown): void {
    const { layers, base } = this.engine.normalize(type);
    const mark = this.writer.size;
    let explicitLayers = layers.length;
    if (base.t === 'choice') this.writeChoice(base, value);
    else if (base.t === 'any') this.writeOpenType(value);
    else {
      this.writeContent(base, value);
      const last = layers[layers.length - 1]!;
      this.writer.header(last.cls, last.num, isConstructedBase(base), this.writer.size - mark);
      explicitLayers--;
    }
    for (let i = explicitLayers - 1; i >= 0; i--) this.writer.header(layers[i]!.cls, layers[i]!.num, true, this.writer.size - mark);
  }

  private writeChoice(base: BaseSchema & { t: 'choice' }, value: unknown): void {
    if (value === null || typeof value !== 'object') this.fail('a CHOICE value must be an object with one alternative');
    const keys = Object.keys(value);
    if (keys.length !== 1) this.fail(`a CHOICE value needs exactly one alternative, found ${keys.length}`);
    const alt = base.alts.find((a) => a.name === keys[0]);
    if (!alt) this.fail(`'${keys[0]}' is not an alternative`);
    this.child(alt.name, alt.type, (value as Record<string, unknown>)[alt.name]);
  }

  private writeOpenType(value: unknown): void {
    if (!(value instanceof Uint8Array)) this.fail('an open type value must be the encoded TLV as a Uint8Array');
    const header = readHeader(value, 0, value.length, this.typeName);
    if (header.end !== value.length) this.fail('an open type value must be exactly one TLV');
    this.writer.bytes(value);
  }

  private checkSize(size: Bounds | undefined, count: number, what: string): void {
    if (!size) return;
    const [min, max] = size;
    if ((min !== null && count < min) || (max !== null && count > max)) this.fail(`${what} ${count} outside SIZE(${min ?? 'MIN'}..${max ?? 'MAX'})`);
  }

  private writeContent(base: BaseSchema, value: unknown): void {
    try {
      this.writeTyped(base, value);
    } catch (error) {
      if (error instanceof ContentError) this.fail(error.message);
      throw error;
    }
  }

  private writeTyped(base: BaseSchema, value: unknown): void {
    switch (base.t) {
      case 'seq':
        return this.writeSequence(base, value);
      case 'set':
        return this.writeSorted(this.structureParts(base, value));
      case 'seqof':
      case 'setof': {
        if (!Array.isArray(value)) this.fail('expected an array');
        this.checkSize(base.size, value.length, 'element count');
        if (base.t === 'setof') return this.writeSorted(value.map((item, i) => this.separately(() => this.child(i, base.of, item))));
        for (let i = value.length - 1; i >= 0; i--) this.child(i, base.of, value[i]);
        return;
      }
      case 'int': {
        if (typeof value !== 'number' && typeof value !== 'bigint') this.fail('expected a number or bigint');
        if (base.range && typeof value === 'number') {
          const [min, max] = base.range;
          if ((min !== null && value < min) || (max !== null && value > max)) this.fail(`${value} outside (${min}..${max})`);
        }
        return this.writer.bytes(encodeInteger(value));
      }
      case 'enum': {
        const number = typeof value === 'string' ? base.items[value] : undefined;
        if (number === undefined) this.fail(`'${String(value)}' is not a value of the ENUMERATED type`);
        return this.writer.bytes(encodeInteger(number));
      }
      case 'bool':
        if (typeof value !== 'boolean') this.fail('expected a boolean');
        return this.writer.byte(value ? 0xff : 0x00);
      case 'null':
        if (value !== null) this.fail('expected null');
        return;
      case 'octets':
        if (!(value instanceof Uint8Array)) this.fail('expected a Uint8Array');
        this.checkSize(base.size, value.length, 'length');
        return this.writer.bytes(value);
      case 'bits':
        return this.writer.bytes(this.bitsContent(base, value));
      case 'oid':
        if (typeof value !== 'string') this.fail('expected a dotted OBJECT IDENTIFIER string');
        return this.writer.bytes(encodeOid(value));
      case 'str':
        if (typeof value !== 'string') this.fail('expected a string');
        this.checkSize(base.size, characterCount(base.kind, value), 'length');
        return this.writer.bytes(encodeString(base.kind, value));
      case 'time':
        if (typeof value !== 'string') this.fail('expected a time string');
        return this.writer.bytes(encodeString('time', value));
      case 'choice':
      case 'any':
        throw new Error('unreachable: CHOICE and open types have no content of their own');
    }
  }

  private bitsContent(base: BaseSchema & { t: 'bits' }, value: unknown): Uint8Array {
    const bits = value as BitString;
    if (!bits || !(bits.bytes instanceof Uint8Array) || !Number.isInteger(bits.unusedBits) || bits.unusedBits < 0 || bits.unusedBits > 7) {
      this.fail('expected a BitString { bytes, unusedBits }');
    }
    let { bytes, unusedBits } = bits;
    if (bytes.length === 0 && unusedBits !== 0) this.fail('an empty BIT STRING has no unused bits');
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
    this.checkSize(base.size, bytes.length * 8 - unusedBits, 'bit count');
    const out = new Uint8Array(bytes.length + 1);
    out[0] = unusedBits;
    out.set(bytes, 1);
    if (bytes.length > 0) out[bytes.length]! &= 0xff << unusedBits;
    return out;
  }

  /** Checks that the value is an object with every mandatory field, in the order of the definition. */
  private checkFields(base: BaseSchema & { t: 'seq' | 'set' }, value: unknown): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) this.fail('expected an object');
    const record = value as Record<string, unknown>;
    for (const field of base.fields) {
      if (!field.optional && record[field.name] === undefined) this.fail('mandatory field is missing', field.name);
    }
    return record;
  }

  /** Whether a field is written: present and not equal to its DEFAULT. */
  private written(field: FieldSchema, item: unknown): boolean {
    return item !== undefined && (field.default === undefined || !this.isDefault(field, item));
  }

  private extensionsOf(base: BaseSchema & { t: 'seq' | 'set' }, record: Record<string, unknown>): readonly Uint8Array[] {
    return base.ext ? DecodedValue.extensionsOf(record) : [];
  }

  private writeSequence(base: BaseSchema & { t: 'seq' | 'set' }, value: unknown): void {
    const record = this.checkFields(base, value);
    if (base.ext) {
      const extensions = this.extensionsOf(base, record);
      for (let i = extensions.length - 1; i >= 0; i--) this.writer.bytes(extensions[i]!);
    }
    const fields = base.fields;
    for (let i = fields.length - 1; i >= 0; i--) {
      const field = fields[i]!;
      const item = record[field.name];
      if (this.written(field, item)) this.child(field.name, field.type, item);
    }
  }

  private structureParts(base: BaseSchema & { t: 'seq' | 'set' }, value: unknown): Uint8Array[] {
    const record = this.checkFields(base, value);
    const fields = base.fields.filter((field) => this.written(field, record[field.name]));
    const parts = fields.map((field) => this.separately(() => this.child(field.name, field.type, record[field.name])));
    return [...parts, ...this.extensionsOf(base, record)];
  }

  /** Encodes into a fresh writer and returns the bytes (for SET ordering, which needs the encodings). */
  private separately(write: () => void): Uint8Array {
    const outer = this.writer;
    this.writer = new ReverseWriter(256);
    try {
      write();
      return this.writer.result();
    } finally {
      this.writer = outer;
    }
  }

  /** DER orders SET components by tag and SET OF elements by encoding (X.690 §10.3, §11.6). */
  private writeSorted(parts: Uint8Array[]): void {
    parts.sort(compareBytes);
    for (let i = parts.length - 1; i >= 0; i--) this.writer.bytes(parts[i]!);
  }

  /** DER leaves out a component whose value equals its DEFAULT (X.690 §11.5). */
  private isDefault(field: FieldSchema, value: unknown): boolean {
    if (value instanceof Uint8Array) {
      if (typeof field.default !== 'string') return false;
      let bytes = defaultBytes.get(field);
      if (bytes === undefined) defaultBytes.set(field, (bytes = fromHex(field.default)));
      return bytesEqual(value, bytes);
    }
    return value === field.default;
  }
}

// The DER encoder (X.690 §10, §11): definite minimal lengths, DEFAULT values left out, SET components
// and SET OF elements in canonical order, named bit strings without trailing zero bits.
import type { BitString } from './bitString.js';
import { concat, encodeIdentifier, readHeader, wrap } from './der.js';
import { EXTENSIONS_PROPERTY } from './decode.js';
import { isConstructedBase, type BaseSchema, type SchemaEngine } from './engine.js';
import { Asn1EncodeError } from './errors.js';
import { ContentError, characterCount, encodeInteger, encodeOid, encodeString } from './primitives.js';
import type { Bounds, FieldSchema, JsonValue, TypeSchema } from './schema.js';

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export class Encoder {
  constructor(
    private readonly engine: SchemaEngine,
    private readonly typeName: string,
  ) {}

  private fail(path: string, detail: string): never {
    throw new Asn1EncodeError(this.typeName, path, detail);
  }

  encodeNode(type: TypeSchema, value: unknown, path: string): Uint8Array {
    const { layers, base } = this.engine.normalize(type);
    let encoded: Uint8Array;
    let explicitLayers = layers.length;
    if (base.t === 'choice') encoded = this.encodeChoice(base, value, path);
    else if (base.t === 'any') encoded = this.encodeOpenType(value, path);
    else {
      const last = layers[layers.length - 1]!;
      encoded = wrap(encodeIdentifier(last.cls, last.num, isConstructedBase(base)), this.encodeContent(base, value, path));
      explicitLayers--;
    }
    for (let i = explicitLayers - 1; i >= 0; i--) encoded = wrap(encodeIdentifier(layers[i]!.cls, layers[i]!.num, true), encoded);
    return encoded;
  }

  private encodeChoice(base: BaseSchema & { t: 'choice' }, value: unknown, path: string): Uint8Array {
    if (value === null || typeof value !== 'object') this.fail(path, 'a CHOICE value must be an object with one alternative');
    const keys = Object.keys(value);
    if (keys.length !== 1) this.fail(path, `a CHOICE value needs exactly one alternative, found ${keys.length}`);
    const alt = base.alts.find((a) => a.name === keys[0]);
    if (!alt) this.fail(path, `'${keys[0]}' is not an alternative`);
    return this.encodeNode(alt.type, (value as Record<string, unknown>)[alt.name], `${path}${path ? '.' : ''}${alt.name}`);
  }

  private encodeOpenType(value: unknown, path: string): Uint8Array {
    if (!(value instanceof Uint8Array)) this.fail(path, 'an open type value must be the encoded TLV as a Uint8Array');
    const header = readHeader(value, 0, value.length, this.typeName);
    if (header.end !== value.length) this.fail(path, 'an open type value must be exactly one TLV');
    return value;
  }

  private checkSize(size: Bounds | undefined, count: number, path: string, what: string): void {
    if (!size) return;
    const [min, max] = size;
    if ((min !== null && count < min) || (max !== null && count > max)) this.fail(path, `${what} ${count} outside SIZE(${min ?? 'MIN'}..${max ?? 'MAX'})`);
  }

  private encodeContent(base: BaseSchema, value: unknown, path: string): Uint8Array {
    try {
      return this.encodeTyped(base, value, path);
    } catch (error) {
      if (error instanceof ContentError) this.fail(path, error.message);
      throw error;
    }
  }

  private encodeTyped(base: BaseSchema, value: unknown, path: string): Uint8Array {
    switch (base.t) {
      case 'seq':
      case 'set':
        return this.encodeStructure(base, value, path);
      case 'seqof':
      case 'setof': {
        if (!Array.isArray(value)) this.fail(path, 'expected an array');
        this.checkSize(base.size, value.length, path, 'element count');
        const items = value.map((item, i) => this.encodeNode(base.of, item, `${path}[${i}]`));
        if (base.t === 'setof') items.sort(compareBytes);
        return concat(items);
      }
      case 'int': {
        if (typeof value !== 'number' && typeof value !== 'bigint') this.fail(path, 'expected a number or bigint');
        if (base.range && typeof value === 'number') {
          const [min, max] = base.range;
          if ((min !== null && value < min) || (max !== null && value > max)) this.fail(path, `${value} outside (${min}..${max})`);
        }
        return encodeInteger(value);
      }
      case 'enum': {
        const number = typeof value === 'string' ? base.items[value] : undefined;
        if (number === undefined) this.fail(path, `'${String(value)}' is not a value of the ENUMERATED type`);
        return encodeInteger(number);
      }
      case 'bool':
        if (typeof value !== 'boolean') this.fail(path, 'expected a boolean');
        return Uint8Array.of(value ? 0xff : 0x00);
      case 'null':
        if (value !== null) this.fail(path, 'expected null');
        return new Uint8Array(0);
      case 'octets':
        if (!(value instanceof Uint8Array)) this.fail(path, 'expected a Uint8Array');
        this.checkSize(base.size, value.length, path, 'length');
        return value;
      case 'bits':
        return this.encodeBits(base, value, path);
      case 'oid':
        if (typeof value !== 'string') this.fail(path, 'expected a dotted OBJECT IDENTIFIER string');
        return encodeOid(value);
      case 'str':
        if (typeof value !== 'string') this.fail(path, 'expected a string');
        this.checkSize(base.size, characterCount(base.kind, value), path, 'length');
        return encodeString(base.kind, value);
      case 'time':
        if (typeof value !== 'string') this.fail(path, 'expected a time string');
        return encodeString('time', value);
      case 'choice':
      case 'any':
        throw new Error('unreachable: CHOICE and open types have no content of their own');
    }
  }

  private encodeBits(base: BaseSchema & { t: 'bits' }, value: unknown, path: string): Uint8Array {
    const bits = value as BitString;
    if (!bits || !(bits.bytes instanceof Uint8Array) || !Number.isInteger(bits.unusedBits) || bits.unusedBits < 0 || bits.unusedBits > 7) {
      this.fail(path, 'expected a BitString { bytes, unusedBits }');
    }
    let { bytes, unusedBits } = bits;
    if (bytes.length === 0 && unusedBits !== 0) this.fail(path, 'an empty BIT STRING has no unused bits');
    if (base.named) {
      // X.690 §11.2.2: a named bit list is encoded without trailing zero bits.
      let length = bytes.length;
      while (length > 0 && bytes[length - 1] === 0) length--;
      if (length < bytes.length) {
        bytes = bytes.subarray(0, length);
        unusedBits = 0;
      }
      if (length > 0) {
        const last = bytes[length - 1]!;
        let trailing = 0;
        while (!((last >> trailing) & 1)) trailing++;
        unusedBits = trailing;
      }
    }
    this.checkSize(base.size, bytes.length * 8 - unusedBits, path, 'bit count');
    const out = new Uint8Array(bytes.length + 1);
    out[0] = unusedBits;
    out.set(bytes, 1);
    if (bytes.length > 0) out[bytes.length]! &= 0xff << unusedBits;
    return out;
  }

  private encodeStructure(base: BaseSchema & { t: 'seq' | 'set' }, value: unknown, path: string): Uint8Array {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
      this.fail(path, 'expected an object');
    }
    const record = value as Record<string, unknown>;
    const parts: Uint8Array[] = [];
    for (const field of base.fields) {
      const item = record[field.name];
      const fieldPath = `${path}${path ? '.' : ''}${field.name}`;
      if (item === undefined) {
        if (!field.optional) this.fail(fieldPath, 'mandatory field is missing');
        continue;
      }
      if (field.default !== undefined && this.isDefault(field, item)) continue;
      parts.push(this.encodeNode(field.type, item, fieldPath));
    }
    const extensions = (record as { [EXTENSIONS_PROPERTY]?: unknown })[EXTENSIONS_PROPERTY];
    if (Array.isArray(extensions) && base.ext) parts.push(...(extensions as Uint8Array[]));
    if (base.t === 'set') parts.sort(compareBytes);
    return concat(parts);
  }

  /** DER leaves out a component whose value equals its DEFAULT (X.690 §11.5). */
  private isDefault(field: FieldSchema, value: unknown): boolean {
    const def: JsonValue | undefined = field.default;
    if (value instanceof Uint8Array) return typeof def === 'string' && toHex(value) === def;
    return value === def;
  }
}

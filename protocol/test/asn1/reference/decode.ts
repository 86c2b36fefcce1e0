// The DER decoder: walks the normalized schema over the input and builds plain values. Every failure is
// an Asn1DecodeError with the type name and byte offset; nothing half-built is ever returned.
import type { BitString } from '../../../src/asn1/runtime/bitString.js';
import { readHeader, type TlvHeader } from '../../../src/asn1/runtime/der.js';
import { isConstructedBase, type BaseSchema, type SchemaEngine } from '../../../src/asn1/runtime/engine.js';
import { Asn1DecodeError } from '../../../src/asn1/runtime/errors.js';
import { DecodedValue } from '../../../src/asn1/runtime/decodedValue.js';
import { ContentError } from '../../../src/asn1/runtime/primitives.js';
import { characterCount, decodeInteger, decodeOid, decodeString } from './primitives.js';
import type { Bounds, TypeSchema } from '../../../src/asn1/runtime/schema.js';

export interface DecodeOptions {
  /** Largest input accepted, in bytes (default 16 MiB). */
  readonly maxLength?: number;
  /** Deepest TLV nesting accepted (default 64). */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_LENGTH = 16 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;


type Value = unknown;

/** ENUMERATED names by number, per type, built once. */
const enumNames = new WeakMap<BaseSchema, Map<unknown, string>>();

function enumName(base: BaseSchema & { t: 'enum' }, number: unknown): string | undefined {
  let names = enumNames.get(base);
  if (names === undefined) {
    names = new Map();
    // The first name of a number wins, as a search through the entries in order finds it.
    for (const [name, value] of Object.entries(base.items)) if (!names.has(value)) names.set(value, name);
    enumNames.set(base, names);
  }
  return names.get(number);
}

/** Content placeholder for constructed values, which are read TLV by TLV instead. */
const EMPTY = new Uint8Array(0);

export class Decoder {
  private readonly maxDepth: number;

  constructor(
    private readonly engine: SchemaEngine,
    private readonly typeName: string,
    private readonly bytes: Uint8Array,
    options: DecodeOptions,
  ) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  private fail(offset: number, reason: Asn1DecodeError['reason'], detail: string): never {
    throw new Asn1DecodeError(this.typeName, offset, reason, detail);
  }

  decodeWhole(type: TypeSchema): Value {
    const header = readHeader(this.bytes, 0, this.bytes.length, this.typeName);
    const value = this.decodeNode(type, header, 1);
    if (header.end !== this.bytes.length) this.fail(header.end, 'trailing-bytes', `${this.bytes.length - header.end} bytes after the value`);
    return value;
  }

  private child(offset: number, limit: number, depth: number): TlvHeader {
    if (depth > this.maxDepth) this.fail(offset, 'too-deep', `nesting deeper than ${this.maxDepth}`);
    return readHeader(this.bytes, offset, limit, this.typeName);
  }

  decodeNode(type: TypeSchema, header: TlvHeader, depth: number): Value {
    const { layers, base } = this.engine.normalize(type);
    const content = base.t !== 'choice' && base.t !== 'any';
    let h = header;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      if (h.cls !== layer.cls || h.num !== layer.num) {
        this.fail(h.start, 'wrong-tag', `expected [${layer.cls} ${layer.num}], found [${h.cls} ${h.num}]`);
      }
      if (content && i === layers.length - 1) break;
      if (!h.constructed) this.fail(h.start, 'invalid-value', 'an EXPLICIT tag must be constructed');
      const inner = this.child(h.valueOffset, h.end, ++depth);
      if (inner.end !== h.end) this.fail(inner.end, 'trailing-bytes', 'bytes after the value inside an EXPLICIT tag');
      h = inner;
    }
    if (base.t === 'choice') return this.decodeChoice(base, h, depth, header);
    if (base.t === 'any') return this.bytes.subarray(h.start, h.end);
    return this.decodeContent(base, h, depth, header);
  }

  private decodeChoice(base: BaseSchema & { t: 'choice' }, h: TlvHeader, depth: number, outer: TlvHeader): Value {
    const alt = this.engine.alternativeByKey(base, h.key);
    if (!alt) this.fail(h.start, 'wrong-tag', `[${h.cls} ${h.num}] is none of the CHOICE's alternatives`);
    const out = new DecodedValue(this.bytes, undefined, outer.start, outer.end) as unknown as Record<string, Value>;
    out[alt.name] = this.decodeNode(alt.type, h, depth);
    return out;
  }

  private checkSize(size: Bounds | undefined, count: number, offset: number, what: string): void {
    if (!size) return;
    const [min, max] = size;
    if ((min !== null && count < min) || (max !== null && count > max)) {
      this.fail(offset, 'constraint', `${what} ${count} outside SIZE(${min ?? 'MIN'}..${max ?? 'MAX'})`);
    }
  }

  /** `outer` is the TLV the whole value (all its tags) came in: what `derOf` gives back. */
  private decodeContent(base: BaseSchema, h: TlvHeader, depth: number, outer: TlvHeader): Value {
    const constructed = isConstructedBase(base);
    if (h.constructed !== constructed) {
      this.fail(h.start, 'invalid-value', constructed ? 'expected a constructed encoding' : 'expected a primitive encoding (DER)');
    }
    if (constructed) return this.decodeTyped(base, h, EMPTY, depth, outer);
    const content = this.bytes.subarray(h.valueOffset, h.end);
    try {
      return this.decodeTyped(base, h, content, depth, outer);
    } catch (error) {
      if (error instanceof ContentError) this.fail(h.valueOffset, error.reason, error.message);
      throw error;
    }
  }

  private decodeTyped(base: BaseSchema, h: TlvHeader, content: Uint8Array, depth: number, outer: TlvHeader): Value {
    switch (base.t) {
      case 'seq':
        return this.decodeSequence(base, h, depth, outer);
      case 'set':
        return this.decodeSet(base, h, depth, outer);
      case 'seqof':
      case 'setof': {
        const items: Value[] = [];
        for (let pos = h.valueOffset; pos < h.end; ) {
          const child = this.child(pos, h.end, depth + 1);
          items.push(this.decodeNode(base.of, child, depth + 1));
          pos = child.end;
        }
        this.checkSize(base.size, items.length, h.start, 'element count');
        return items;
      }
      case 'int': {
        const value = decodeInteger(content, base.big);
        if (base.range && typeof value === 'number') {
          const [min, max] = base.range;
          if ((min !== null && value < min) || (max !== null && value > max)) this.fail(h.valueOffset, 'constraint', `${value} outside (${min}..${max})`);
        }
        return value;
      }
      case 'enum': {
        const number = decodeInteger(content, false);
        const name = enumName(base, number);
        if (name === undefined) this.fail(h.valueOffset, 'invalid-value', `ENUMERATED value ${number} is not defined`);
        return name;
      }
      case 'bool':
        if (content.length !== 1) this.fail(h.valueOffset, 'invalid-value', 'BOOLEAN must have one content octet');
        return content[0] !== 0;
      case 'null':
        if (content.length !== 0) this.fail(h.valueOffset, 'invalid-value', 'NULL must be empty');
        return null;
      case 'octets':
        this.checkSize(base.size, content.length, h.valueOffset, 'length');
        return content;
      case 'bits':
        return this.decodeBits(base, h, content);
      case 'oid':
        return decodeOid(content);
      case 'str': {
        const text = decodeString(base.kind, content);
        this.checkSize(base.size, characterCount(base.kind, text), h.valueOffset, 'length');
        return text;
      }
      case 'time':
        if (!/^[0-9]{10,14}(\.[0-9]+)?(Z|[+-][0-9]{4})?$/.test(decodeString('time', content))) {
          this.fail(h.valueOffset, 'invalid-value', `malformed ${base.kind}`);
        }
        return decodeString('time', content);
      case 'choice':
      case 'any':
        throw new Error('unreachable: CHOICE and open types have no content of their own');
    }
  }

  private decodeBits(base: BaseSchema & { t: 'bits' }, h: TlvHeader, content: Uint8Array): BitString {
    if (content.length === 0) this.fail(h.valueOffset, 'invalid-value', 'BIT STRING without the unused-bits octet');
    const unusedBits = content[0]!;
    if (unusedBits > 7 || (content.length === 1 && unusedBits !== 0)) this.fail(h.valueOffset, 'invalid-value', `bad unused-bits count ${unusedBits}`);
    this.checkSize(base.size, (content.length - 1) * 8 - unusedBits, h.valueOffset, 'bit count');
    return { bytes: content.subarray(1), unusedBits };
  }

  private decodeSequence(base: BaseSchema & { t: 'seq' | 'set' }, h: TlvHeader, depth: number, outer: TlvHeader): Value {
    const value = new DecodedValue(this.bytes, undefined, outer.start, outer.end);
    const fields = value as unknown as Record<string, Value>;
    let pos = h.valueOffset;
    let child = pos < h.end ? this.child(pos, h.end, depth + 1) : undefined;
    const schemaFields = base.fields;
    const firstTags = this.engine.fieldFirstTags(base);
    for (let i = 0; i < schemaFields.length; i++) {
      const field = schemaFields[i]!;
      // The tags the field can start with (engine.firstTags; null: an open type, which matches anything).
      const tags = firstTags[i] as readonly number[] | null;
      if (child && (tags === null || (tags.length === 1 ? tags[0] === child.key : tags.includes(child.key)))) {
        fields[field.name] = this.decodeNode(field.type, child, depth + 1);
        pos = child.end;
        child = pos < h.end ? this.child(pos, h.end, depth + 1) : undefined;
      } else if (!field.optional) {
        this.fail(child?.start ?? h.end, 'missing-field', `mandatory field '${field.name}' is missing`);
      }
    }
    if (child) DecodedValue.keepExtensions(value, this.keepExtensions(base.ext, child, h, depth));
    return value;
  }

  private decodeSet(base: BaseSchema & { t: 'seq' | 'set' }, h: TlvHeader, depth: number, outer: TlvHeader): Value {
    const found = new Map<string, Value>();
    const extensions: TlvHeader[] = [];
    for (let pos = h.valueOffset; pos < h.end; ) {
      const child = this.child(pos, h.end, depth + 1);
      const field = base.fields.find((f) => !found.has(f.name) && this.engine.matchesKey(f.type, child.key));
      if (field) found.set(field.name, this.decodeNode(field.type, child, depth + 1));
      else if (base.ext) extensions.push(child);
      else this.fail(child.start, 'wrong-tag', `[${child.cls} ${child.num}] is not a component of the SET`);
      pos = child.end;
    }
    for (const field of base.fields) {
      if (!field.optional && !found.has(field.name)) this.fail(h.start, 'missing-field', `mandatory field '${field.name}' is missing`);
    }
    // Fields in the order of the definition, whatever order the components arrived in.
    const ordered = new DecodedValue(this.bytes, extensions.map((e) => this.bytes.subarray(e.start, e.end)), outer.start, outer.end) as unknown as Record<string, Value>;
    for (const field of base.fields) if (found.has(field.name)) ordered[field.name] = found.get(field.name);
    return ordered;
  }

  /** Elements after the known fields of an extensible SEQUENCE are kept verbatim (X.680 §52). */
  private keepExtensions(ext: boolean, first: TlvHeader, h: TlvHeader, depth: number): Uint8Array[] {
    if (!ext) this.fail(first.start, 'wrong-tag', `unexpected element [${first.cls} ${first.num}]`);
    const kept: Uint8Array[] = [];
    for (let child: TlvHeader | undefined = first; child; ) {
      kept.push(this.bytes.subarray(child.start, child.end));
      child = child.end < h.end ? this.child(child.end, h.end, depth + 1) : undefined;
    }
    return kept;
  }
}

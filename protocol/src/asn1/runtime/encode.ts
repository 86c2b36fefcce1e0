// The DER encoder (X.690 §10, §11), compiled per type: definite minimal lengths, DEFAULT values left out,
// SET components and SET OF elements in canonical order, named bit strings without trailing zero bits.
// At a type's first use its normalized schema (engine.ts) becomes a closure with the identifier octets
// precomputed; it writes from the end of the buffer (writer.ts), children before their headers, in one pass.
import { bytesEqual, fromHex } from '../../bytes.js';
import { componentGetter, type ComponentGetter } from './components.js';
import { DecodedValue } from './decodedValue.js';
import {
  bitsContent, checkSize, contentFailure, EncodeFailure, encodeStringOrFail, fail, openType, Output, writeInteger, writeOwn, writeSorted,
} from './encodeOutput.js';
import { isConstructedBase, type BaseSchema, type Normalized, type SchemaEngine } from './engine.js';
import { Asn1EncodeError } from './errors.js';
import { characterCount, encodedOid } from './primitives.js';
import type { FieldSchema, TypeSchema } from './schema.js';
import { identifierOctets } from './writer.js';


/** Writes the value with all its tags in front of what `out` holds. */
type EncodeFn = (out: Output, value: unknown) => void;

/** A type's compiled encoder; `encode` compiles it at the first call, so recursive types work. */
interface Compiled {
  encode: EncodeFn;
}

interface CompiledField {
  readonly name: string;
  readonly get: ComponentGetter;
  readonly optional: boolean;
  /** The DEFAULT in the tables' JSON form. */
  readonly default: FieldSchema['default'];
  /** An OCTET STRING DEFAULT (hex in the tables) as bytes, converted when first compared. */
  defaultBytes?: Uint8Array;
  readonly node: Compiled;
}

/** Whether a field is written: present and not equal to its DEFAULT (X.690 §11.5). */
function written(field: CompiledField, item: unknown): boolean {
  if (item === undefined) return false;
  if (field.default === undefined) return true;
  if (item instanceof Uint8Array) {
    if (typeof field.default !== 'string') return true;
    field.defaultBytes ??= fromHex(field.default);
    return !bytesEqual(item, field.defaultBytes);
  }
  return item !== field.default;
}

/** Encodes `value` as `part` of the value being written: a failure below gets `part` in its path. */
function child(out: Output, part: string | number, node: Compiled, value: unknown): void {
  try {
    node.encode(out, value);
  } catch (error) {
    if (error instanceof EncodeFailure) error.path.unshift(part);
    throw error;
  }
}

/** Encodes into a writer of its own and returns the bytes (for DER's SET orderings, which need them). */
function separately(out: Output, part: string | number, node: Compiled, value: unknown): Uint8Array {
  const own = new Output(out.typeName, 256);
  child(own, part, node, value);
  return own.result();
}


/** The writer kept between calls is dropped when a value made it larger than this. */
const KEPT_WRITER_SIZE = 64 * 1024;

export class EncoderCompiler {
  private readonly compiled = new WeakMap<Normalized, Compiled>();
  private spare: Output | undefined;

  constructor(private readonly engine: SchemaEngine) {}

  /** DER encoding of `value` as `type`; an Asn1EncodeError names the path to what does not fit. */
  encode(type: TypeSchema, typeName: string, value: unknown): Uint8Array {
    // One writer serves call after call; a call made while it is in use gets its own.
    const out = this.spare ?? new Output(typeName);
    this.spare = undefined;
    out.reset();
    out.typeName = typeName;
    try {
      this.node(type).encode(out, value);
      return out.result();
    } catch (error) {
      if (!(error instanceof EncodeFailure)) throw error;
      const path = error.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '');
      throw new Asn1EncodeError(typeName, path, error.detail);
    } finally {
      if (out.capacity <= KEPT_WRITER_SIZE) this.spare = out;
    }
  }

  private node(type: TypeSchema): Compiled {
    const normalized = this.engine.normalize(type);
    let node = this.compiled.get(normalized);
    if (node === undefined) {
      const lazy: Compiled = {
        encode: (out, value) => {
          lazy.encode = this.build(normalized);
          lazy.encode(out, value);
        },
      };
      node = lazy;
      this.compiled.set(normalized, node);
    }
    return node;
  }

  /** The content, then the header of each layer from the innermost out (X.690 §8.14). */
  private build({ layers, base }: Normalized): EncodeFn {
    if (base.t === 'choice' || base.t === 'any') {
      // No tag of its own: every layer is an EXPLICIT one, constructed.
      const content = base.t === 'choice' ? this.choice(base) : openType;
      return layers.length === 0 ? content : tagged(layers.map((layer) => identifierOctets(layer.cls, layer.num, true)), content);
    }
    // The content's own tag is primitive or constructed as its type is (X.690 §8.1.2.5).
    const constructed = isConstructedBase(base);
    const identifiers = layers.map((layer, i) => identifierOctets(layer.cls, layer.num, i === layers.length - 1 ? constructed : true));
    if (identifiers.length === 1) return this.content(base, identifiers[0]);
    return tagged(identifiers, this.content(base, undefined));
  }

  private choice(base: BaseSchema & { t: 'choice' }): EncodeFn {
    const byName = new Map<string, { node: Compiled; get: ComponentGetter }>();
    for (const alt of base.alts) if (!byName.has(alt.name)) byName.set(alt.name, { node: this.node(alt.type), get: componentGetter(alt.name) });
    return (out, value) => {
      if (value === null || typeof value !== 'object') fail('a CHOICE value must be an object with one alternative');
      const keys = Object.keys(value);
      if (keys.length !== 1) fail(`a CHOICE value needs exactly one alternative, found ${keys.length}`);
      const name = keys[0]!;
      const alt = byName.get(name);
      if (alt === undefined) fail(`'${name}' is not an alternative`);
      child(out, name, alt.node, alt.get(value as Record<string, unknown>));
    };
  }

  private fields(base: BaseSchema & { t: 'seq' | 'set' }): CompiledField[] {
    return base.fields.map((field) => ({ name: field.name, get: componentGetter(field.name), optional: field.optional === true, default: field.default, node: this.node(field.type) }));
  }

  /**
   * `own`: the identifier octets of the content's own tag when the closure writes its header itself (a
   * type of one layer: one call less per value); undefined when the caller writes the headers.
   */
  private content(base: Exclude<BaseSchema, { t: 'choice' | 'any' }>, own: Uint8Array | undefined): EncodeFn {
    switch (base.t) {
      case 'seq':
        return sequence(base.ext, this.fields(base), own);
      case 'set':
        return set(base.ext, this.fields(base), own);
      case 'seqof':
      case 'setof': {
        const { size } = base;
        const of = this.node(base.of);
        const sorted = base.t === 'setof';
        return (out, value) => {
          const mark = out.size;
          if (!Array.isArray(value)) fail('expected an array');
          checkSize(size, value.length, 'element count');
          if (sorted && value.length > 1) {
            // Written first to last (so the first failing element is the one reported), which leaves them
            // last to first in the buffer; sortRuns() then puts them in DER's order (X.690 §11.6) in place.
            const bounds = [mark];
            for (let i = 0; i < value.length; i++) {
              child(out, i, of, value[i]);
              bounds.push(out.size);
            }
            out.sortRuns(bounds);
          } else {
            for (let i = value.length - 1; i >= 0; i--) child(out, i, of, value[i]);
          }
          if (own) out.tagged(own, out.size - mark);
        };
      }
      case 'int': {
        const { range } = base;
        return (out, value) => {
          if (typeof value !== 'number' && typeof value !== 'bigint') fail('expected a number or bigint');
          if (range && typeof value === 'number') {
            const [min, max] = range;
            if ((min !== null && value < min) || (max !== null && value > max)) fail(`${value} outside (${min}..${max})`);
          }
          const mark = out.size;
          writeInteger(out, value);
          if (own) out.tagged(own, out.size - mark);
        };
      }
      case 'enum': {
        const { items } = base;
        return (out, value) => {
          const number = typeof value === 'string' ? items[value] : undefined;
          if (number === undefined) fail(`'${String(value)}' is not a value of the ENUMERATED type`);
          const mark = out.size;
          writeInteger(out, number);
          if (own) out.tagged(own, out.size - mark);
        };
      }
      case 'bool':
        return (out, value) => {
          if (typeof value !== 'boolean') fail('expected a boolean');
          out.byte(value ? 0xff : 0x00);
          if (own) out.tagged(own, 1);
        };
      case 'null':
        return (out, value) => {
          if (value !== null) fail('expected null');
          if (own) out.tagged(own, 0);
        };
      case 'octets': {
        const { size } = base;
        return (out, value) => {
          if (!(value instanceof Uint8Array)) fail('expected a Uint8Array');
          checkSize(size, value.length, 'length');
          out.bytes(value);
          if (own) out.tagged(own, value.length);
        };
      }
      case 'bits':
        return (out, value) => writeOwn(out, own, bitsContent(base, value));
      case 'oid':
        return (out, value) => {
          if (typeof value !== 'string') fail('expected a dotted OBJECT IDENTIFIER string');
          let encoded: Uint8Array;
          try {
            encoded = encodedOid(value);
          } catch (error) {
            contentFailure(error);
          }
          writeOwn(out, own, encoded);
        };
      case 'str': {
        const { kind, size } = base;
        // Characters up to this code are their own octet (ASCII in UTF-8; 8-bit kinds); -1: never.
        const direct = kind === 'UTF8String' ? 0x7f : kind === 'BMPString' || kind === 'UniversalString' ? -1 : 0xff;
        return (out, value) => {
          if (typeof value !== 'string') fail('expected a string');
          if (size) checkSize(size, characterCount(kind, value), 'length');
          const mark = out.size;
          if (!out.octets(value, direct)) out.bytes(encodeStringOrFail(kind, value));
          if (own) out.tagged(own, out.size - mark);
        };
      }
      case 'time':
        return (out, value) => {
          if (typeof value !== 'string') fail('expected a time string');
          const mark = out.size;
          if (!out.octets(value, 0xff)) out.bytes(encodeStringOrFail('time', value));
          if (own) out.tagged(own, out.size - mark);
        };
    }
  }
}

/** The headers of `identifiers` (outermost first) around what `content` writes. */
function tagged(identifiers: readonly Uint8Array[], content: EncodeFn): EncodeFn {
  return (out, value) => {
    const mark = out.size;
    content(out, value);
    for (let i = identifiers.length - 1; i >= 0; i--) out.tagged(identifiers[i]!, out.size - mark);
  };
}


/** The object a SEQUENCE or SET value must be. */
function checkObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) fail('expected an object');
  return value as Record<string, unknown>;
}

/** The first mandatory field the value lacks, in the order of the definition, is a failure. */
function checkMandatory(fields: readonly CompiledField[], record: Record<string, unknown>): void {
  for (const field of fields) if (!field.optional && field.get(record) === undefined) fail('mandatory field is missing', field.name);
}

function checkFields(fields: readonly CompiledField[], value: unknown): Record<string, unknown> {
  const record = checkObject(value);
  checkMandatory(fields, record);
  return record;
}

/**
 * SEQUENCE: the known fields in the order of the definition, then kept extension elements. Each field is
 * read once, from the last to the first; whatever fails, a missing mandatory field is the failure reported,
 * the first one in the order of the definition, as if the fields had all been checked before writing.
 */
function sequence(ext: boolean, fields: readonly CompiledField[], own: Uint8Array | undefined): EncodeFn {
  return (out, value) => {
    const mark = out.size;
    const record = checkObject(value);
    try {
      if (ext) {
        const extensions = DecodedValue.extensionsOf(record);
        for (let i = extensions.length - 1; i >= 0; i--) out.bytes(extensions[i]!);
      }
      for (let i = fields.length - 1; i >= 0; i--) {
        const field = fields[i]!;
        const item = field.get(record);
        if (item === undefined) {
          if (!field.optional) checkMandatory(fields, record);
        } else if (written(field, item)) {
          child(out, field.name, field.node, item);
        }
      }
    } catch (error) {
      checkMandatory(fields, record);
      throw error;
    }
    if (own) out.tagged(own, out.size - mark);
  };
}

/** SET: the written components and kept extension elements, in DER's order. */
function set(ext: boolean, fields: readonly CompiledField[], own: Uint8Array | undefined): EncodeFn {
  return (out, value) => {
    const mark = out.size;
    const record = checkFields(fields, value);
    const parts = fields.filter((field) => written(field, field.get(record))).map((field) => separately(out, field.name, field.node, field.get(record)));
    writeSorted(out, ext ? [...parts, ...DecodedValue.extensionsOf(record)] : parts);
    if (own) out.tagged(own, out.size - mark);
  };
}

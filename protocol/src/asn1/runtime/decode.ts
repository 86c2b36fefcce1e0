// The DER decoder, compiled per type: at a type's first use its normalized schema (engine.ts) is turned
// into a closure that checks the tags, reads the children and builds the value, so decoding walks no
// tables and allocates nothing per TLV header (every header is read into one HeaderCursor). Every
// failure is an Asn1DecodeError with the type name and byte offset; nothing half-built is ever returned.
import { readHeaderInto, tagOfKey } from './der.js';
import { componentSetter, type ComponentSetter } from './components.js';
import { DecodedValue } from './decodedValue.js';
import { bitString, checkOwn, DEFAULT_MAX_DEPTH, Input, keepExtensions, wrongEncoding, wrongTag, type DecodeOptions, type OwnTag } from './decodeInput.js';
import { isConstructedBase, tagKey, type BaseSchema, type Layer, type Normalized, type SchemaEngine } from './engine.js';
import { characterCount, decodeIntegerAt, decodeOidAt, decodeStringAt } from './primitives.js';
import type { TypeSchema } from './schema.js';

export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, type DecodeOptions } from './decodeInput.js';

/** Decodes the value whose (outermost) header is in the cursor, nested `depth` deep. */
type DecodeFn = (input: Input, depth: number) => unknown;
/**
 * Decodes the content under the innermost header in the cursor; [outerStart, outerEnd) is the whole TLV,
 * by default the cursor's. Called with two arguments it is a DecodeFn of a type with no EXPLICIT layers.
 */
type ContentFn = (input: Input, depth: number, outerStart?: number, outerEnd?: number) => unknown;

/** A type's compiled decoder; `decode` compiles it at the first call, so recursive types work. */
interface Compiled {
  decode: DecodeFn;
}

/** A SEQUENCE or SET component: its name, the tags it can start with (null: every tag), its decoder. */
interface CompiledField {
  readonly name: string;
  readonly optional: boolean;
  readonly tags: readonly number[] | null;
  /** The one tag the component starts with, or -1 when it has several or is an open type. */
  readonly key: number;
  readonly node: Compiled;
  readonly set: ComponentSetter;
}

function matchesTag(tags: readonly number[] | null, key: number): boolean {
  return tags === null || (tags.length === 1 ? tags[0] === key : tags.includes(key));
}

function fieldMatches(field: CompiledField, key: number): boolean {
  return field.key === key || (field.key < 0 && matchesTag(field.tags, key));
}

const TIME = /^[0-9]{10,14}(\.[0-9]+)?(Z|[+-][0-9]{4})?$/;

export class DecoderCompiler {
  private readonly compiled = new WeakMap<Normalized, Compiled>();

  constructor(private readonly engine: SchemaEngine) {}

  /** Decodes exactly one DER value of `type` filling `bytes`. */
  decode(type: TypeSchema, typeName: string, bytes: Uint8Array, options: DecodeOptions): unknown {
    const input = new Input(bytes, typeName, options.maxDepth ?? DEFAULT_MAX_DEPTH);
    readHeaderInto(input.cursor, bytes, 0, bytes.length, typeName);
    const end = input.cursor.end;
    const value = this.node(type).decode(input, 1);
    if (end !== bytes.length) input.fail(end, 'trailing-bytes', `${bytes.length - end} bytes after the value`);
    return value;
  }

  private node(type: TypeSchema): Compiled {
    const normalized = this.engine.normalize(type);
    let node = this.compiled.get(normalized);
    if (node === undefined) {
      const lazy: Compiled = {
        decode: (input, depth) => {
          lazy.decode = this.build(normalized);
          return lazy.decode(input, depth);
        },
      };
      node = lazy;
      this.compiled.set(normalized, node);
    }
    return node;
  }

  /** The tag layers (X.690 §8.14: IMPLICIT replaces, EXPLICIT adds), then the content. */
  private build({ layers, base }: Normalized): DecodeFn {
    if (base.t === 'choice' || base.t === 'any') {
      const content = base.t === 'choice' ? this.choice(base) : (input: Input) => input.view(input.cursor.start, input.cursor.end);
      return layers.length === 0 ? content : this.layered(layers, false, false, content);
    }
    const constructed = isConstructedBase(base);
    if (layers.length > 1) return this.layered(layers, true, constructed, this.content(base, undefined));
    const layer = layers[0]!;
    return this.content(base, { key: tagKey(layer.cls, layer.num), layer, constructed });
  }

  /** EXPLICIT layers; with `hasContent` the last layer is the content's own (universal or IMPLICIT) tag. */
  private layered(layers: readonly Layer[], hasContent: boolean, constructed: boolean, content: ContentFn): DecodeFn {
    const keys = layers.map((layer) => tagKey(layer.cls, layer.num));
    return (input, depth) => {
      const c = input.cursor;
      const outerStart = c.start;
      const outerEnd = c.end;
      for (let i = 0; i < keys.length; i++) {
        if (c.key !== keys[i]) wrongTag(input, layers[i]!);
        if (hasContent && i === keys.length - 1) break;
        if (!c.constructed) input.fail(c.start, 'invalid-value', 'an EXPLICIT tag must be constructed');
        const end = c.end;
        input.child(c.valueOffset, end, ++depth);
        if (c.end !== end) input.fail(c.end, 'trailing-bytes', 'bytes after the value inside an EXPLICIT tag');
      }
      if (hasContent && c.constructed !== constructed) wrongEncoding(input, constructed);
      return content(input, depth, outerStart, outerEnd);
    };
  }

  private choice(base: BaseSchema & { t: 'choice' }): ContentFn {
    const alternatives = new Map<number, { node: Compiled; set: ComponentSetter }>();
    for (const alt of base.alts) {
      const compiled = { node: this.node(alt.type), set: componentSetter(alt.name) };
      // As engine.alternativeByKey: a later alternative with the same first tag wins.
      for (const key of this.engine.firstTags(alt.type) ?? []) alternatives.set(key, compiled);
    }
    return (input: Input, depth: number, outerStart = input.cursor.start, outerEnd = input.cursor.end) => {
      const c = input.cursor;
      const alt = alternatives.get(c.key);
      if (alt === undefined) {
        const { cls, num } = tagOfKey(c.key);
        input.fail(c.start, 'wrong-tag', `[${cls} ${num}] is none of the CHOICE's alternatives`);
      }
      const out = new DecodedValue(input.bytes, undefined, outerStart, outerEnd) as unknown as Record<string, unknown>;
      alt.set(out, alt.node.decode(input, depth));
      return out;
    };
  }

  private fields(base: BaseSchema & { t: 'seq' | 'set' }): CompiledField[] {
    return base.fields.map((field) => {
      const tags = this.engine.firstTags(field.type);
      return { name: field.name, optional: field.optional === true, tags, key: tags?.length === 1 ? tags[0]! : -1, node: this.node(field.type), set: componentSetter(field.name) };
    });
  }

  /** `own`: the content's own tag, checked by the closure (undefined: the caller checked it). */
  private content(base: Exclude<BaseSchema, { t: 'choice' | 'any' }>, own: OwnTag | undefined): ContentFn {
    switch (base.t) {
      case 'seq':
        return this.sequence(base.ext, this.fields(base), own);
      case 'set':
        return this.set(base.ext, this.fields(base), own);
      case 'seqof':
      case 'setof': {
        const of = this.node(base.of);
        const size = base.size;
        return (input, depth) => {
          if (own) checkOwn(input, own);
          const c = input.cursor;
          const start = c.start;
          const end = c.end;
          const items: unknown[] = [];
          for (let pos = c.valueOffset; pos < end; ) {
            input.child(pos, end, depth + 1);
            pos = c.end;
            items.push(of.decode(input, depth + 1));
          }
          input.checkSize(size, items.length, start, 'element count');
          return items;
        };
      }
      case 'int': {
        const { big, range } = base;
        return (input: Input) => {
          if (own) checkOwn(input, own);
          const offset = input.cursor.valueOffset;
          let value: number | bigint;
          try {
            value = decodeIntegerAt(input.bytes, offset, input.cursor.end, big);
          } catch (error) {
            input.content(error, offset);
          }
          if (range && typeof value === 'number') {
            const [min, max] = range;
            if ((min !== null && value < min) || (max !== null && value > max)) input.fail(offset, 'constraint', `${value} outside (${min}..${max})`);
          }
          return value;
        };
      }
      case 'enum': {
        // The first name of a number wins, as a search through the entries in order finds it.
        const names = new Map<unknown, string>();
        for (const [name, value] of Object.entries(base.items)) if (!names.has(value)) names.set(value, name);
        return (input: Input) => {
          if (own) checkOwn(input, own);
          const offset = input.cursor.valueOffset;
          let number: number | bigint;
          try {
            number = decodeIntegerAt(input.bytes, offset, input.cursor.end, false);
          } catch (error) {
            input.content(error, offset);
          }
          const name = names.get(number);
          if (name === undefined) input.fail(offset, 'invalid-value', `ENUMERATED value ${number} is not defined`);
          return name;
        };
      }
      case 'bool':
        return (input) => {
          if (own) checkOwn(input, own);
          const c = input.cursor;
          if (c.end - c.valueOffset !== 1) input.fail(c.valueOffset, 'invalid-value', 'BOOLEAN must have one content octet');
          return input.bytes[c.valueOffset] !== 0;
        };
      case 'null':
        return (input) => {
          if (own) checkOwn(input, own);
          if (input.cursor.end !== input.cursor.valueOffset) input.fail(input.cursor.valueOffset, 'invalid-value', 'NULL must be empty');
          return null;
        };
      case 'octets': {
        const size = base.size;
        // The commonest value of all (SAIP file contents, SGP.22 identifiers).
        if (!size) {
          return (input) => {
            if (own) checkOwn(input, own);
            return input.view(input.cursor.valueOffset, input.cursor.end);
          };
        }
        return (input) => {
          if (own) checkOwn(input, own);
          const c = input.cursor;
          input.checkSize(size, c.end - c.valueOffset, c.valueOffset, 'length');
          return input.view(c.valueOffset, c.end);
        };
      }
      case 'bits':
        return (input) => {
          if (own) checkOwn(input, own);
          return bitString(input, base.size);
        };
      case 'oid':
        return (input) => {
          if (own) checkOwn(input, own);
          const c = input.cursor;
          try {
            return decodeOidAt(input.bytes, c.valueOffset, c.end);
          } catch (error) {
            input.content(error, c.valueOffset);
          }
        };
      case 'str': {
        const { kind, size } = base;
        return (input: Input) => {
          if (own) checkOwn(input, own);
          const c = input.cursor;
          let text: string;
          try {
            text = decodeStringAt(kind, input.bytes, c.valueOffset, c.end);
          } catch (error) {
            input.content(error, c.valueOffset);
          }
          if (size) input.checkSize(size, characterCount(kind, text), c.valueOffset, 'length');
          return text;
        };
      }
      case 'time': {
        const kind = base.kind;
        return (input) => {
          if (own) checkOwn(input, own);
          const c = input.cursor;
          const text = decodeStringAt('time', input.bytes, c.valueOffset, c.end);
          if (!TIME.test(text)) input.fail(c.valueOffset, 'invalid-value', `malformed ${kind}`);
          return text;
        };
      }
    }
  }

  /** SEQUENCE: components in the order of the definition, OPTIONAL ones recognised by their first tag. */
  private sequence(ext: boolean, fields: readonly CompiledField[], own: OwnTag | undefined): ContentFn {
    return (input, depth, outerStart = input.cursor.start, outerEnd = input.cursor.end) => {
      if (own) checkOwn(input, own);
      const c = input.cursor;
      const end = c.end;
      const value = new DecodedValue(input.bytes, undefined, outerStart, outerEnd);
      const record = value as unknown as Record<string, unknown>;
      let pos = c.valueOffset;
      let more = pos < end;
      if (more) input.child(pos, end, depth + 1);
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i]!;
        if (more && fieldMatches(field, c.key)) {
          pos = c.end;
          field.set(record, field.node.decode(input, depth + 1));
          more = pos < end;
          if (more) input.child(pos, end, depth + 1);
        } else if (!field.optional) {
          input.fail(more ? c.start : end, 'missing-field', `mandatory field '${field.name}' is missing`);
        }
      }
      if (more) DecodedValue.keepExtensions(value, keepExtensions(input, ext, end, depth));
      return value;
    };
  }

  /** SET: components in any order (X.690 §8.11), given back in the order of the definition. */
  private set(ext: boolean, fields: readonly CompiledField[], own: OwnTag | undefined): ContentFn {
    return (input, depth, outerStart = input.cursor.start, outerEnd = input.cursor.end) => {
      if (own) checkOwn(input, own);
      const c = input.cursor;
      const start = c.start;
      const end = c.end;
      const found = new Map<string, unknown>();
      const extensions: Uint8Array[] = [];
      for (let pos = c.valueOffset; pos < end; ) {
        input.child(pos, end, depth + 1);
        const childStart = c.start;
        pos = c.end;
        const field = fields.find((f) => !found.has(f.name) && fieldMatches(f, c.key));
        if (field) found.set(field.name, field.node.decode(input, depth + 1));
        else if (ext) extensions.push(input.view(childStart, pos));
        else {
          const { cls, num } = tagOfKey(c.key);
          input.fail(childStart, 'wrong-tag', `[${cls} ${num}] is not a component of the SET`);
        }
      }
      for (const field of fields) {
        if (!field.optional && !found.has(field.name)) input.fail(start, 'missing-field', `mandatory field '${field.name}' is missing`);
      }
      const ordered = new DecodedValue(input.bytes, extensions, outerStart, outerEnd) as unknown as Record<string, unknown>;
      for (const field of fields) if (found.has(field.name)) field.set(ordered, found.get(field.name));
      return ordered;
    };
  }
}

// JSON form of decoded values, for the CLI and fixtures: byte strings as hex, bit strings as
// { bytes, unusedBits }, big integers as decimal strings. fromJsonValue is the exact inverse.
import { fromHex, isHex, toHex } from '../../bytes.js';
import type { BitString } from './bitString.js';
import { DecodedValue } from './decodedValue.js';
import type { SchemaEngine } from './engine.js';
import { Asn1EncodeError } from './errors.js';
import type { JsonValue, TypeSchema } from './schema.js';

/** Where the JSON form keeps unknown extension elements of a SEQUENCE or SET, as hex TLVs. */
const EXTENSIONS_KEY = '$extensions';

function bytesOfHex(text: unknown, path: string): Uint8Array {
  if (typeof text !== 'string' || !isHex(text)) throw new Asn1EncodeError('JSON', path, 'expected a hex string');
  return fromHex(text);
}

export function toJsonValue(engine: SchemaEngine, type: TypeSchema, value: unknown): JsonValue {
  const { base } = engine.normalize(type);
  switch (base.t) {
    case 'seq':
    case 'set': {
      const record = value as Record<string, unknown>;
      const out: Record<string, JsonValue> = {};
      for (const field of base.fields) if (record[field.name] !== undefined) out[field.name] = toJsonValue(engine, field.type, record[field.name]);
      const extensions = DecodedValue.extensionsOf(record);
      if (extensions.length > 0) out[EXTENSIONS_KEY] = extensions.map((extension) => toHex(extension));
      return out;
    }
    case 'choice': {
      const [name, inner] = Object.entries(value as Record<string, unknown>)[0]!;
      const alt = base.alts.find((a) => a.name === name)!;
      return { [name]: toJsonValue(engine, alt.type, inner) };
    }
    case 'seqof':
    case 'setof':
      return (value as unknown[]).map((item) => toJsonValue(engine, base.of, item));
    case 'int':
      return typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : (value as number);
    case 'octets':
    case 'any':
      return toHex(value as Uint8Array);
    case 'bits':
      return { bytes: toHex((value as BitString).bytes), unusedBits: (value as BitString).unusedBits };
    default:
      return value as JsonValue;
  }
}

export function fromJsonValue(engine: SchemaEngine, type: TypeSchema, json: unknown, path = ''): unknown {
  const { base } = engine.normalize(type);
  const at = (name: string | number): string => (typeof name === 'number' ? `${path}[${name}]` : `${path}${path ? '.' : ''}${name}`);
  switch (base.t) {
    case 'seq':
    case 'set': {
      if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Asn1EncodeError('JSON', path, 'expected an object');
      const record = json as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const field of base.fields) if (record[field.name] !== undefined) out[field.name] = fromJsonValue(engine, field.type, record[field.name], at(field.name));
      const extensions = record[EXTENSIONS_KEY];
      if (Array.isArray(extensions)) return DecodedValue.withExtensions(out, extensions.map((e, i) => bytesOfHex(e, at(`${EXTENSIONS_KEY}[${i}]`))));
      return out;
    }
    case 'choice': {
      if (json === null || typeof json !== 'object') throw new Asn1EncodeError('JSON', path, 'expected an object with one alternative');
      const entries = Object.entries(json as Record<string, unknown>);
      const alt = entries.length === 1 ? base.alts.find((a) => a.name === entries[0]![0]) : undefined;
      if (!alt) throw new Asn1EncodeError('JSON', path, 'expected exactly one known alternative');
      return { [alt.name]: fromJsonValue(engine, alt.type, entries[0]![1], at(alt.name)) };
    }
    case 'seqof':
    case 'setof':
      if (!Array.isArray(json)) throw new Asn1EncodeError('JSON', path, 'expected an array');
      return json.map((item, i) => fromJsonValue(engine, base.of, item, at(i)));
    case 'int':
      if (base.big && (typeof json === 'string' || typeof json === 'number')) return BigInt(json);
      return json;
    case 'octets':
    case 'any':
      return bytesOfHex(json, path);
    case 'bits': {
      const bits = json as { bytes?: unknown; unusedBits?: unknown };
      return { bytes: bytesOfHex(bits?.bytes, at('bytes')), unusedBits: Number(bits?.unusedBits ?? 0) };
    }
    default:
      return json;
  }
}

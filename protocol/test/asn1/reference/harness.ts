// Test harness for the compiled codec: the interpreting reference codec (reference/decode.ts and
// reference/encode.ts, the runtime before it was compiled per type), outcomes that can be compared
// exactly (bytes, or the error's class and message), and random typed values of any type, derived
// from the same codec tables.
import fc from 'fast-check';
import { DecodedValue } from '../../../src/asn1/runtime/decodedValue.js';
import { Asn1DecodeError } from '../../../src/asn1/runtime/errors.js';
import { schemaEngine, type Codec } from '../../../src/asn1/runtime/registry.js';
import type { TypeSchema } from '../../../src/asn1/runtime/schema.js';
import { Decoder, DEFAULT_MAX_LENGTH, type DecodeOptions } from './decode.js';
import { Encoder } from './encode.js';

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The reference decode, with the registry's input checks and private copy. */
export function referenceDecode(codec: Codec<unknown>, bytes: Uint8Array, options: DecodeOptions = {}): unknown {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (bytes.length > maxLength) throw new Asn1DecodeError(codec.typeName, maxLength, 'too-large', `${bytes.length} bytes exceed the ${maxLength}-byte limit`);
  return new Decoder(schemaEngine(), codec.typeName, bytes.slice(), options).decodeWhole(codec.schema);
}

export function referenceEncode(codec: Codec<unknown>, value: unknown): Uint8Array {
  return new Encoder(schemaEngine(), codec.typeName).encode(codec.schema, value);
}

/**
 * Everything observable of a decoded value, in property order: fields, the class of each object and
 * byte string, the DER each SEQUENCE/SET/CHOICE value remembers (derOf) and its kept extensions.
 */
export function shape(value: unknown): unknown {
  if (value instanceof Uint8Array) return { [value.constructor.name]: toHex(value) };
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = { $class: (Object.getPrototypeOf(value) as { constructor?: { name: string } } | null)?.constructor?.name };
  const der = DecodedValue.derOf(value);
  if (der !== undefined) out.$der = toHex(der);
  const extensions = DecodedValue.extensionsOf(value);
  if (extensions.length > 0) out.$extensions = extensions.map(toHex);
  for (const key of Object.keys(value)) out[key] = shape((value as Record<string, unknown>)[key]);
  return out;
}

function failure(error: unknown): { error: string; reason?: string; offset?: number } {
  if (error instanceof Asn1DecodeError) return { error: `${error.name}: ${error.message}`, reason: error.reason, offset: error.offset };
  return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/** What decoding gives: the value's shape, or the error. */
export function decodeOutcome(decode: () => unknown): unknown {
  try {
    return { value: JSON.stringify(shape(decode())) };
  } catch (error) {
    return failure(error);
  }
}

/** What encoding gives: the bytes, or the error. */
export function encodeOutcome(encode: () => Uint8Array): unknown {
  try {
    return { bytes: toHex(encode()) };
  } catch (error) {
    return failure(error);
  }
}

/** Values of the wrong type for anything, mixed into random values to reach the encoders' errors. */
const junk = fc.constantFrom<unknown>(undefined, null, 'x', 7, 1.5, -1, 2n ** 80n, true, new Uint8Array(1), {}, [], { a: 1 }, { bytes: new Uint8Array(1), unusedBits: 9 });

const DIGITS = (count: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: count, maxLength: count }).map((digits) => digits.join(''));

/** Random values of a type from its codec table: valid ones, or with `junkWeight` > 0 some wrong ones inside. */
export function valueOf(type: TypeSchema, options: { maxDepth?: number; junkWeight?: number } = {}): fc.Arbitrary<unknown> {
  const maxDepth = options.maxDepth ?? 8;
  const junkWeight = options.junkWeight ?? 0;
  const engine = schemaEngine();
  const memo = new Map<TypeSchema, fc.Arbitrary<unknown>[]>();

  const sized = (size: readonly [number | null, number | null] | undefined, cap: number): { minLength: number; maxLength: number } => {
    const min = size?.[0] ?? 0;
    return { minLength: min, maxLength: Math.max(min, Math.min(size?.[1] ?? min + cap, min + cap)) };
  };

  const build = (type: TypeSchema, depth: number): fc.Arbitrary<unknown> => {
    let perDepth = memo.get(type);
    if (perDepth === undefined) memo.set(type, (perDepth = []));
    const cached = perDepth[depth];
    if (cached) return cached;
    if (depth > 40) throw new Error('type nests too deeply for a test value');
    const valid = plain(type, depth);
    const arbitrary = junkWeight > 0 ? fc.oneof({ weight: 100, arbitrary: valid }, { weight: junkWeight, arbitrary: junk }) : valid;
    perDepth[depth] = arbitrary;
    return arbitrary;
  };

  const plain = (type: TypeSchema, depth: number): fc.Arbitrary<unknown> => {
    const { base } = engine.normalize(type);
    const deep = depth >= maxDepth;
    switch (base.t) {
      case 'seq':
      case 'set': {
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        const required: string[] = [];
        for (const field of base.fields) {
          if (!field.optional) required.push(field.name);
          if (!field.optional || !deep) model[field.name] = build(field.type, depth + 1);
        }
        return fc.record(model, { requiredKeys: required });
      }
      case 'choice':
        return fc.oneof(...base.alts.map((alt) => build(alt.type, depth + 1).map((value) => ({ [alt.name]: value }))));
      case 'seqof':
      case 'setof': {
        const { minLength, maxLength } = sized(base.size, deep ? 0 : 3);
        return fc.array(build(base.of, depth + 1), { minLength, maxLength });
      }
      case 'int': {
        if (base.big) return fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });
        const [min, max] = base.range ?? [null, null];
        return fc.oneof(fc.integer({ min: min ?? -(2 ** 40), max: max ?? 2 ** 40 }), fc.integer({ min: Math.max(min ?? -300, -300), max: Math.min(max ?? 300, 300) }));
      }
      case 'enum':
        return fc.constantFrom(...Object.keys(base.items));
      case 'bool':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'octets':
        return fc.uint8Array(sized(base.size, 40));
      case 'bits': {
        const [min, max] = base.size ?? [null, null];
        return fc
          .tuple(fc.uint8Array({ maxLength: 6 }), fc.integer({ min: 0, max: 7 }))
          .map(([bytes, unused]) => ({ bytes, unusedBits: bytes.length === 0 ? 0 : unused }))
          .filter(({ bytes, unusedBits }) => (min === null || bytes.length * 8 - unusedBits >= min) && (max === null || bytes.length * 8 - unusedBits <= max));
      }
      case 'oid':
        return fc
          .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.oneof(fc.nat(300), fc.nat(2 ** 50).map(String), fc.bigInt({ min: 0n, max: 2n ** 80n }).map(String)), { maxLength: 6 }))
          .map(([a, b, rest]) => [a, b, ...rest].join('.'));
      case 'str': {
        // Beside ASCII: any code point (surrogate pairs too) where the kind holds one, any octet in 8-bit kinds.
        const unit = base.kind === 'UTF8String' || base.kind === 'UniversalString' ? 'binary' : base.kind === 'BMPString' ? 'grapheme-ascii' : fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code));
        return fc.oneof(fc.string(sized(base.size, 20)), fc.string({ ...sized(base.size, 20), unit }));
      }
      case 'time':
        return base.kind === 'UTCTime' ? DIGITS(12).map((digits) => `${digits}Z`) : DIGITS(14).map((digits) => `${digits}Z`);
      case 'any':
        return fc.uint8Array({ maxLength: 20 }).map((content) => Uint8Array.of(0x04, content.length, ...content));
    }
  };

  return build(type, 0);
}

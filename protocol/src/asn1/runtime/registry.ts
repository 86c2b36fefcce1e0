// Codec objects: each generated type exports one, created here from its id in the codec table.
import schemaTable from '../generated/schema.json' with { type: 'json' };
import { DecoderCompiler, DEFAULT_MAX_LENGTH, type DecodeOptions } from './decode.js';
import { DecodedValue } from './decodedValue.js';
import { EncoderCompiler } from './encode.js';
import { SchemaEngine } from './engine.js';
import { Asn1DecodeError } from './errors.js';
import type { SchemaTable, TypeSchema } from './schema.js';

export interface Codec<T> {
  /** Module-qualified ASN.1 name, `RSPDefinitions.EUICCInfo1`. */
  readonly id: string;
  /** The ASN.1 type name, `EUICCInfo1`. */
  readonly typeName: string;
  readonly schema: TypeSchema;
  /** DER encoding of `value`; throws Asn1EncodeError when the value does not fit the type. */
  encode(value: T): Uint8Array;
  /** Decodes exactly one DER value filling `bytes`; throws Asn1DecodeError on any malformation. */
  decode(bytes: Uint8Array, options?: DecodeOptions): T;
}

export type NamedCodec<T, N> = Codec<T> & { readonly named: N };

const engine = new SchemaEngine(schemaTable as unknown as SchemaTable);
const decoder = new DecoderCompiler(engine);
const encoder = new EncoderCompiler(engine);

export function schemaEngine(): SchemaEngine {
  return engine;
}

/**
 * The input copied, so that kept raw bytes (derOf, octet strings) cannot change under the caller's values
 * (unless the caller hands the bytes over, DecodeOptions.handOver).
 * A Buffer's slice() is a view, not a copy: a Buffer is copied into one of its own (not from Node's shared
 * pool, whose other bytes a value's `.buffer` would show), and stays a Buffer as before.
 */
function privateCopy(bytes: Uint8Array): Uint8Array {
  if (!Buffer.isBuffer(bytes)) return bytes.slice();
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  copy.set(bytes);
  return copy;
}

export function codec<T>(id: string): Codec<T> {
  const typeName = id.slice(id.indexOf('.') + 1);
  const schema = engine.assignment(id);
  return {
    id,
    typeName,
    schema,
    encode(value: T): Uint8Array {
      return encoder.encode(schema, typeName, value);
    },
    decode(bytes: Uint8Array, options: DecodeOptions = {}): T {
      if (!(bytes instanceof Uint8Array)) throw new Asn1DecodeError(typeName, 0, 'invalid-value', 'input is not a byte array');
      const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
      if (bytes.length > maxLength) throw new Asn1DecodeError(typeName, maxLength, 'too-large', `${bytes.length} bytes exceed the ${maxLength}-byte limit`);
      return decoder.decode(schema, typeName, options.handOver === true ? bytes : privateCopy(bytes), options) as T;
    },
  };
}

/** A codec that also carries its named numbers or named bits, e.g. `ProfileState.named.enabled`. */
export function namedCodec<T>() {
  return <const N extends Readonly<Record<string, number>>>(id: string, named: N): NamedCodec<T, N> => ({ ...codec<T>(id), named });
}

/**
 * The exact bytes a value was decoded from (its whole TLV). Signatures are verified over these, never
 * over a re-encoding (SGP.22 §5.6, §5.7: the signed data objects are taken as received).
 */
export function derOf(value: object): Uint8Array {
  const der = DecodedValue.derOf(value);
  if (!der) throw new TypeError('derOf: this value was not produced by decode()');
  return der;
}

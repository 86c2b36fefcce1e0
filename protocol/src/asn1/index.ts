// The ASN.1 layer of @zkesim/protocol: the generated SGP.22, SAIP and PKIX types and codecs, the DER
// runtime's errors and helpers, and a registry of every type by name for tools.
import * as generated from './generated/index.js';
import { fromJsonValue as fromJson, toJsonValue as toJson } from './runtime/json.js';
import { schemaEngine, type Codec } from './runtime/registry.js';
import type { JsonValue } from './runtime/schema.js';

export * from './generated/index.js';
export { Asn1Error, Asn1DecodeError, Asn1EncodeError, type Asn1DecodeReason } from './runtime/errors.js';
export { derOf, type Codec, type NamedCodec } from './runtime/registry.js';
export type { DecodeOptions } from './runtime/decode.js';
export { nameOfNumber, type NamedNumbers } from './runtime/namedNumbers.js';
export { bitIsSet, bitStringFromNames, bitStringFromPositions, namesInBitString, type BitString } from './runtime/bitString.js';
export { encodeLength, encodeTlv, encodeTlvHeader, readTlv, splitTlvs, type Tlv } from './runtime/tlv.js';
export type { JsonValue, SchemaTable, TypeSchema } from './runtime/schema.js';

function isCodec(value: unknown): value is Codec<unknown> {
  return typeof value === 'object' && value !== null && 'encode' in value && 'decode' in value && 'schema' in value;
}

/** Every generated codec by its TypeScript name (`EUICCInfo1`, `PE_MF`, `Certificate`). */
export const asn1Types: ReadonlyMap<string, Codec<unknown>> = new Map(
  Object.entries(generated as Record<string, unknown>)
    .filter((entry): entry is [string, Codec<unknown>] => isCodec(entry[1]))
    .sort(([a], [b]) => a.localeCompare(b)),
);

export function toJsonValue<T>(codec: Codec<T>, value: T): JsonValue {
  return toJson(schemaEngine(), codec.schema, value);
}

export function fromJsonValue<T>(codec: Codec<T>, json: unknown): T {
  return fromJson(schemaEngine(), codec.schema, json) as T;
}

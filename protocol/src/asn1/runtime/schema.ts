// The codec tables: a JSON-serialisable description of each ASN.1 type, produced by the compiler in
// protocol/tools/asn1c from the module text and interpreted by the DER runtime in this folder.
// Tagging rules are already applied by the compiler: every `tag` node says whether it is EXPLICIT.

export type TagClass = 'U' | 'A' | 'C' | 'P';

export type StringKind =
  | 'UTF8String'
  | 'PrintableString'
  | 'IA5String'
  | 'VisibleString'
  | 'NumericString'
  | 'TeletexString'
  | 'GeneralString'
  | 'GraphicString'
  | 'BMPString'
  | 'UniversalString';

/** Inclusive bounds; `null` stands for MIN / MAX. */
export type Bounds = readonly [number | null, number | null];

export interface FieldSchema {
  readonly name: string;
  readonly type: TypeSchema;
  readonly optional?: true;
  /** The DEFAULT value in the JSON value form (hex for byte strings). */
  readonly default?: JsonValue;
}

export interface AlternativeSchema {
  readonly name: string;
  readonly type: TypeSchema;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type TypeSchema =
  | { readonly t: 'ref'; readonly name: string }
  | { readonly t: 'tag'; readonly cls: TagClass; readonly n: number; readonly explicit: boolean; readonly type: TypeSchema }
  | { readonly t: 'seq' | 'set'; readonly fields: readonly FieldSchema[]; readonly ext: boolean }
  | { readonly t: 'seqof' | 'setof'; readonly of: TypeSchema; readonly size?: Bounds }
  | { readonly t: 'choice'; readonly alts: readonly AlternativeSchema[]; readonly ext: boolean }
  | { readonly t: 'int'; readonly big: boolean; readonly named?: Readonly<Record<string, number>>; readonly range?: Bounds }
  | { readonly t: 'enum'; readonly items: Readonly<Record<string, number>>; readonly ext: boolean }
  | { readonly t: 'bool' }
  | { readonly t: 'null' }
  | { readonly t: 'octets'; readonly size?: Bounds }
  | { readonly t: 'bits'; readonly named?: Readonly<Record<string, number>>; readonly size?: Bounds }
  | { readonly t: 'oid' }
  | { readonly t: 'str'; readonly kind: StringKind; readonly size?: Bounds }
  | { readonly t: 'time'; readonly kind: 'UTCTime' | 'GeneralizedTime' }
  | { readonly t: 'any' };

export interface TypeAssignmentSchema {
  /** Module-qualified name, `RSPDefinitions.EUICCInfo1`. */
  readonly id: string;
  readonly module: string;
  readonly name: string;
  readonly type: TypeSchema;
}

export interface SchemaTable {
  readonly modules: readonly string[];
  readonly types: Readonly<Record<string, TypeAssignmentSchema>>;
}

// Resolves the codec tables into the form the encoder and decoder walk: for each type, the chain of TLV
// layers it is written with (outermost first) and the built-in type underneath. IMPLICIT tags replace the
// next layer; EXPLICIT tags add one (X.690 §8.14). An untagged CHOICE or open type has no layer of its own.
import type { AlternativeSchema, SchemaTable, TagClass, TypeSchema } from './schema.js';

export type BaseSchema = Exclude<TypeSchema, { t: 'ref' } | { t: 'tag' }>;

export interface Layer {
  readonly cls: TagClass;
  readonly num: number;
}

export interface Normalized {
  readonly layers: readonly Layer[];
  readonly base: BaseSchema;
}

const UNIVERSAL: Readonly<Record<string, number>> = {
  bool: 1, int: 2, bits: 3, octets: 4, null: 5, oid: 6, enum: 10, seq: 16, seqof: 16, set: 17, setof: 17,
  UTF8String: 12, NumericString: 18, PrintableString: 19, TeletexString: 20, IA5String: 22, UTCTime: 23,
  GeneralizedTime: 24, GraphicString: 25, VisibleString: 26, GeneralString: 27, UniversalString: 28, BMPString: 30,
};

const CLASS_INDEX: Readonly<Record<TagClass, number>> = { U: 0, A: 1, C: 2, P: 3 };

/** One number per (class, number) pair, for lookup tables. */
export function tagKey(cls: TagClass, num: number): number {
  return CLASS_INDEX[cls] * 0x10000000 + num;
}

export function isConstructedBase(base: BaseSchema): boolean {
  return base.t === 'seq' || base.t === 'set' || base.t === 'seqof' || base.t === 'setof';
}

export class SchemaEngine {
  private readonly normalized = new WeakMap<TypeSchema, Normalized>();
  private readonly choiceTables = new WeakMap<BaseSchema, Map<number, AlternativeSchema>>();
  private readonly firstTagCache = new WeakMap<TypeSchema, number[] | null>();
  private readonly fieldTagCache = new WeakMap<BaseSchema, readonly (readonly number[] | null)[]>();

  constructor(readonly table: SchemaTable) {}

  assignment(id: string): TypeSchema {
    const found = this.table.types[id];
    if (!found) throw new Error(`unknown ASN.1 type ${id}`);
    return found.type;
  }

  normalize(type: TypeSchema): Normalized {
    const cached = this.normalized.get(type);
    if (cached) return cached;
    const result = this.compute(type, 0);
    this.normalized.set(type, result);
    return result;
  }

  private compute(type: TypeSchema, guard: number): Normalized {
    if (guard > 64) throw new Error('ASN.1 type references loop');
    switch (type.t) {
      case 'ref':
        return this.normalize(this.assignment(type.name));
      case 'tag': {
        const inner = this.normalize(type.type);
        const layer = { cls: type.cls, num: type.n };
        if (type.explicit) return { layers: [layer, ...inner.layers], base: inner.base };
        if (inner.layers.length === 0) throw new Error('IMPLICIT tag on an untagged CHOICE or open type');
        return { layers: [layer, ...inner.layers.slice(1)], base: inner.base };
      }
      case 'choice':
      case 'any':
        return { layers: [], base: type };
      default: {
        const key = type.t === 'str' ? type.kind : type.t === 'time' ? type.kind : type.t;
        return { layers: [{ cls: 'U', num: UNIVERSAL[key]! }], base: type };
      }
    }
  }

  /** Every (class, number) the type can start with; an open type matches anything (returns null). */
  firstTags(type: TypeSchema): number[] | null {
    const cached = this.firstTagCache.get(type);
    if (cached !== undefined) return cached;
    const tags = this.computeFirstTags(type);
    this.firstTagCache.set(type, tags);
    return tags;
  }

  private computeFirstTags(type: TypeSchema): number[] | null {
    const { layers, base } = this.normalize(type);
    if (layers.length > 0) return [tagKey(layers[0]!.cls, layers[0]!.num)];
    if (base.t === 'any') return null;
    if (base.t !== 'choice') return [];
    const tags: number[] = [];
    for (const alt of base.alts) {
      const inner = this.firstTags(alt.type);
      if (inner === null) return null;
      tags.push(...inner);
    }
    return tags;
  }

  matches(type: TypeSchema, cls: TagClass, num: number): boolean {
    return this.matchesKey(type, tagKey(cls, num));
  }

  /** firstTags() of each field of a SEQUENCE or SET, in order: one lookup per decoded value instead of one per field. */
  fieldFirstTags(base: BaseSchema & { t: 'seq' | 'set' }): readonly (readonly number[] | null)[] {
    let tags = this.fieldTagCache.get(base);
    if (tags === undefined) {
      tags = base.fields.map((field) => this.firstTags(field.type));
      this.fieldTagCache.set(base, tags);
    }
    return tags;
  }

  /** matches() with the tag as tagKey gives it (TlvHeader.key). */
  matchesKey(type: TypeSchema, key: number): boolean {
    const tags = this.firstTags(type);
    return tags === null || (tags.length === 1 ? tags[0] === key : tags.includes(key));
  }

  /** The alternative of a CHOICE whose first tag is (cls, num). */
  alternative(base: BaseSchema & { t: 'choice' }, cls: TagClass, num: number): AlternativeSchema | undefined {
    return this.alternativeByKey(base, tagKey(cls, num));
  }

  /** alternative() with the tag as tagKey gives it (TlvHeader.key). */
  alternativeByKey(base: BaseSchema & { t: 'choice' }, key: number): AlternativeSchema | undefined {
    let table = this.choiceTables.get(base);
    if (!table) {
      table = new Map();
      for (const alt of base.alts) for (const key of this.firstTags(alt.type) ?? []) table.set(key, alt);
      this.choiceTables.set(base, table);
    }
    return table.get(key);
  }
}

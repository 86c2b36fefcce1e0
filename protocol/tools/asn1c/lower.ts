// Applies the module-level rules of X.680 to the syntax tree and produces the codec tables:
// - tag default (EXPLICIT / IMPLICIT / AUTOMATIC TAGS, §31.2.7),
// - a tag on an untagged CHOICE or open type is always EXPLICIT (§31.2.7 c),
// - automatic tagging of SEQUENCE, SET and CHOICE components when none of them carries a tag (§25.3, §29.3),
// - EXTENSIBILITY IMPLIED makes every SEQUENCE, SET, CHOICE and ENUMERATED extensible (§12.1 / §13).
// It also resolves OBJECT IDENTIFIER value assignments (§16.2, §32) to dotted strings for the emitter.
import type { Bounds, FieldSchema, JsonValue, SchemaTable, TypeAssignmentSchema, TypeSchema } from '../../src/asn1/runtime/schema.js';
import type { AstBounds, AstComponent, AstModule, AstObjIdComponent, AstType, AstValue, AstValueAssignment, BoundExpr } from './ast.js';

export class Asn1LoweringError extends Error {
  override name = 'Asn1LoweringError';
}

/** An OBJECT IDENTIFIER value assignment of a module, its value in dotted form (`2.23.146.1`). */
export interface OidAssignment {
  module: string;
  /** The ASN.1 value reference, `id-rspRole-ci`. */
  name: string;
  value: string;
  /** The assignment's text in the module. */
  source: string;
}

/**
 * Arcs that a value may name on their own (NameForm, X.680 §32) as its first component: the three top-level
 * arcs of the international OID tree (X.660) and their older names.
 */
const TOP_LEVEL_ARCS: Readonly<Record<string, number>> = { 'itu-t': 0, ccitt: 0, iso: 1, 'joint-iso-itu-t': 2, 'joint-iso-ccitt': 2 };

export class Lowering {
  private readonly modules = new Map<string, AstModule>();
  private readonly oidCache = new Map<string, number[]>();

  constructor(modules: readonly AstModule[]) {
    for (const module of modules) this.modules.set(module.name, module);
  }

  run(): SchemaTable {
    const types: Record<string, TypeAssignmentSchema> = {};
    for (const module of this.modules.values()) {
      for (const assignment of module.types) {
        const id = `${module.name}.${assignment.name}`;
        types[id] = { id, module: module.name, name: assignment.name, type: this.lowerType(assignment.type, module) };
      }
    }
    return applyOverrides({ modules: [...this.modules.keys()], types });
  }

  /**
   * Every value assignment whose type is OBJECT IDENTIFIER (directly or through a type reference such as
   * PKIX `AttributeType`), in module order, with references to other OID values resolved (X.680 §32.3).
   */
  oidAssignments(): OidAssignment[] {
    const result: OidAssignment[] = [];
    for (const module of this.modules.values()) {
      for (const assignment of module.values) {
        if (this.baseOf(assignment.type, module)?.k !== 'oid') continue;
        result.push({ module: module.name, name: assignment.name, value: this.oidArcs(assignment, module).join('.'), source: assignment.source });
      }
    }
    return result;
  }

  /** The value assignment `name` as seen from `module`: its own, or one it imports. */
  private valueAssignment(name: string, module: AstModule): { assignment: AstValueAssignment; module: AstModule } | undefined {
    const local = module.values.find((v) => v.name === name);
    if (local) return { assignment: local, module };
    const from = this.modules.get(module.imports.get(name) ?? '');
    const imported = from?.values.find((v) => v.name === name);
    return imported && from ? { assignment: imported, module: from } : undefined;
  }

  private oidArcs(assignment: AstValueAssignment, module: AstModule, seen: readonly string[] = []): number[] {
    const key = `${module.name}.${assignment.name}`;
    const cached = this.oidCache.get(key);
    if (cached) return cached;
    if (seen.includes(key)) throw new Asn1LoweringError(`${key}: OBJECT IDENTIFIER value refers to itself (${[...seen, key].join(' → ')})`);
    if (assignment.value.k !== 'oid' || this.baseOf(assignment.type, module)?.k !== 'oid') {
      throw new Asn1LoweringError(`${key}: not an OBJECT IDENTIFIER value`);
    }
    const arcs = assignment.value.v.flatMap((component, index) => this.oidComponent(component, index, module, [...seen, key]));
    const [first, second] = arcs;
    // At least two arcs, the first 0..2 and, under 0 or 1, the second below 40 (X.690 §8.19.4 relies on it).
    if (arcs.length < 2 || first === undefined || second === undefined || first > 2 || (first < 2 && second > 39)) {
      throw new Asn1LoweringError(`${key}: ${arcs.join('.')} is not a valid OBJECT IDENTIFIER`);
    }
    this.oidCache.set(key, arcs);
    return arcs;
  }

  /** One ObjIdComponents item (X.680 §32.3) as the arcs it stands for. */
  private oidComponent(component: AstObjIdComponent, index: number, module: AstModule, seen: readonly string[]): number[] {
    const where = `${seen.at(-1)!}, component ${index + 1}`;
    const arc = (value: number | null): number[] => {
      if (value === null || !Number.isSafeInteger(value) || value < 0) throw new Asn1LoweringError(`${where}: arc must be a non-negative integer`);
      return [value];
    };
    switch (component.k) {
      case 'number':
        return arc(component.v);
      case 'named': // NameAndNumberForm: the number (or INTEGER value reference) is what counts (§32.3).
        return arc(this.bound(component.v, module));
      case 'name': {
        // A DefinedValue: an OBJECT IDENTIFIER value as the first component (§32.3), otherwise an INTEGER
        // value (NumberForm); we accept a NameForm only for the top-level arcs (§32).
        const target = this.valueAssignment(component.name, module);
        if (index === 0 && target) return this.oidArcs(target.assignment, target.module, seen);
        if (index === 0 && component.name in TOP_LEVEL_ARCS) return [TOP_LEVEL_ARCS[component.name]!];
        if (index > 0 && target?.assignment.value.k === 'number') return arc(target.assignment.value.v);
        throw new Asn1LoweringError(`${where}: cannot resolve '${component.name}'`);
      }
    }
  }

  /** Resolves a type reference as seen from `module` to its module-qualified id. */
  resolveRef(name: string, module: AstModule): string {
    if (module.types.some((t) => t.name === name)) return `${module.name}.${name}`;
    const from = module.imports.get(name);
    if (from && this.modules.has(from)) return `${from}.${name}`;
    throw new Asn1LoweringError(`${module.name}: unknown type reference ${name}`);
  }

  private assignment(id: string): { type: AstType; module: AstModule } {
    const [moduleName, name] = id.split('.') as [string, string];
    const module = this.modules.get(moduleName)!;
    const found = module.types.find((t) => t.name === name);
    if (!found) throw new Asn1LoweringError(`unknown type ${id}`);
    return { type: found.type, module };
  }

  /** True when the type, after following references, is an untagged CHOICE or open type. */
  private isUntaggedChoiceOrAny(type: AstType, module: AstModule, seen = new Set<string>()): boolean {
    if (type.k === 'choice' || type.k === 'any') return true;
    if (type.k !== 'ref') return false;
    const id = this.resolveRef(type.name, module);
    if (seen.has(id)) return false;
    seen.add(id);
    const target = this.assignment(id);
    return this.isUntaggedChoiceOrAny(target.type, target.module, seen);
  }

  private bound(expr: BoundExpr, module: AstModule): number | null {
    if (typeof expr === 'number') return expr;
    if (expr === 'MIN' || expr === 'MAX') return null;
    const local = module.integerValues.get(expr);
    if (local !== undefined) return local;
    for (const other of this.modules.values()) {
      const value = other.integerValues.get(expr);
      if (value !== undefined) return value;
    }
    throw new Asn1LoweringError(`${module.name}: unknown value reference ${expr}`);
  }

  private bounds(range: AstBounds | undefined, module: AstModule): Bounds | undefined {
    if (!range) return undefined;
    return [this.bound(range[0], module), this.bound(range[1], module)];
  }

  private named(list: Array<[string, BoundExpr]> | undefined, module: AstModule): Record<string, number> | undefined {
    if (!list) return undefined;
    const named: Record<string, number> = {};
    for (const [name, value] of list) named[name] = this.bound(value, module) ?? 0;
    return named;
  }

  lowerType(type: AstType, module: AstModule): TypeSchema {
    switch (type.k) {
      case 'ref':
        return { t: 'ref', name: this.resolveRef(type.name, module) };
      case 'tag': {
        let explicit = type.mode === 'explicit' || (type.mode === 'default' && module.tagDefault === 'EXPLICIT');
        if (!explicit && this.isUntaggedChoiceOrAny(type.type, module)) explicit = true;
        return { t: 'tag', cls: type.cls, n: type.n, explicit, type: this.lowerType(type.type, module) };
      }
      case 'seq':
      case 'set':
        return { t: type.k, fields: this.lowerComponents(type.components, module), ext: type.ext || module.extensibilityImplied };
      case 'choice':
        return {
          t: 'choice',
          alts: this.lowerComponents(type.alts, module).map(({ name, type: alt }) => ({ name, type: alt })),
          ext: type.ext || module.extensibilityImplied,
        };
      case 'seqof':
      case 'setof': {
        const size = this.bounds(type.size, module);
        return { t: type.k, of: this.lowerType(type.of, module), ...(size ? { size } : {}) };
      }
      case 'int': {
        const named = this.named(type.named, module);
        const range = this.bounds(type.range, module);
        const upper = range?.[1];
        const lower = range?.[0];
        const big = !named && !(upper !== undefined && upper !== null && upper <= Number.MAX_SAFE_INTEGER && lower !== null && lower !== undefined);
        return { t: 'int', big, ...(named ? { named } : {}), ...(range ? { range } : {}) };
      }
      case 'enum': {
        const items: Record<string, number> = {};
        const used = new Set(type.items.flatMap(([, v]) => (v === undefined ? [] : [v])));
        let nextValue = 0;
        for (const [name, value] of type.items) {
          if (value !== undefined) {
            items[name] = value;
            continue;
          }
          while (used.has(nextValue)) nextValue++;
          items[name] = nextValue;
          used.add(nextValue);
        }
        return { t: 'enum', items, ext: type.ext || module.extensibilityImplied };
      }
      case 'octets':
      case 'bits':
      case 'str': {
        const size = this.bounds(type.size, module);
        const named = type.k === 'bits' ? this.named(type.named, module) : undefined;
        if (type.k === 'str') return { t: 'str', kind: type.kind, ...(size ? { size } : {}) };
        if (type.k === 'bits') return { t: 'bits', ...(named ? { named } : {}), ...(size ? { size } : {}) };
        return { t: 'octets', ...(size ? { size } : {}) };
      }
      case 'time':
        return { t: 'time', kind: type.kind };
      case 'bool':
      case 'null':
      case 'oid':
      case 'any':
        return { t: type.k };
    }
  }

  private lowerComponents(components: readonly AstComponent[], module: AstModule): FieldSchema[] {
    const automatic = module.tagDefault === 'AUTOMATIC' && components.every((c) => c.type.k !== 'tag');
    return components.map((component, index) => {
      const astType: AstType = automatic ? { k: 'tag', cls: 'C', n: index, mode: 'default', type: component.type } : component.type;
      const field: FieldSchema = { name: component.name, type: this.lowerType(astType, module) };
      if (component.optional) return { ...field, optional: true };
      if (component.default) {
        const value = this.defaultValue(component.default, component.type, module);
        return value === undefined ? { ...field, optional: true } : { ...field, optional: true, default: value };
      }
      return field;
    });
  }

  /** The DEFAULT value in the runtime's JSON form, or undefined where it cannot apply to the type. */
  private defaultValue(value: AstValue, type: AstType, module: AstModule): JsonValue | undefined {
    const base = this.baseOf(type, module);
    switch (value.k) {
      case 'number':
        return base?.k === 'int' ? value.v : undefined;
      case 'bool':
        return base?.k === 'bool' ? value.v : undefined;
      case 'hex':
        return base?.k === 'octets' ? value.v : undefined;
      case 'name': {
        if (base?.k === 'int') return this.named(base.named, base.module)?.[value.v];
        if (base?.k === 'enum') return value.v;
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private baseOf(type: AstType, module: AstModule): (AstType & { module: AstModule }) | undefined {
    if (type.k === 'tag') return this.baseOf(type.type, module);
    if (type.k === 'ref') {
      const target = this.assignment(this.resolveRef(type.name, module));
      return this.baseOf(target.type, target.module);
    }
    return { ...type, module };
  }
}

/**
 * SPEC-AMBIGUITY: the vendored module text (protocol/asn1/rsp.asn, as published in pySim) declares
 * `DeviceInfo.tac` as Octet8, while SGP.22 v2.2.2 §5.7.13 defines the TAC as 4 octets, which is what LPAs send.
 * We accept 4 to 8 octets so that both real devices and peers built from that module text decode.
 */
function applyOverrides(table: SchemaTable): SchemaTable {
  const deviceInfo = table.types['RSPDefinitions.DeviceInfo'];
  if (deviceInfo?.type.t !== 'seq') return table;
  const octets = { t: 'octets', size: [4, 8] } as const;
  const fields = deviceInfo.type.fields.map((field) =>
    field.name === 'tac' ? { ...field, type: field.type.t === 'tag' ? { ...field.type, type: octets } : octets } : field,
  );
  return { ...table, types: { ...table.types, [deviceInfo.id]: { ...deviceInfo, type: { ...deviceInfo.type, fields } } } };
}
